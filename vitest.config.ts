import { defineConfig } from "vitest/config";

// Three projects, by file name:
//   *.test.ts              unit: pure logic, in-process HTTP at most, no database
//   *.int.test.ts          integration: a real database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set)
//                          and the simulators over real HTTP
//   test/e2e/*.e2e.test.ts Playwright in Debian's Chromium against the built app
export default defineConfig({
  test: {
    // PGlite takes ~3 s per fresh database and the machine has 2 cores.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.e2e.test.ts", "node_modules/**"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["app/**/*.int.test.ts", "test/**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // One browser and one app stack at a time.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
