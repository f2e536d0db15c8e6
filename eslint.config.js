import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "data/**", ".cache/**", "test/fixtures/**", "bench/results/**", "extensions/**/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // Boundaries (design/README.md): the Mirakl and Shopify clients know nothing of each other, the sync
    // flows or the database.
    files: ["app/mirakl/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/shopify/**", "**/shopify", "**/sync/**", "**/db/**", "@prisma/client", "**/jobs/**"], message: "app/mirakl may only import app/lib" }] }],
    },
  },
  {
    files: ["app/shopify/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/mirakl/**", "**/mirakl", "**/sync/**", "**/db/**", "@prisma/client", "**/jobs/**"], message: "app/shopify may only import app/lib" }] }],
    },
  },
  {
    // Simulators, tests, benchmarks and CLIs may print.
    files: ["test/**", "bench/**", "**/*.test.ts", "**/cli.ts"],
    rules: { "no-console": "off" },
  },
);
