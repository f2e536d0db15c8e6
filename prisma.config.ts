import { defineConfig } from "prisma/config";

// Prisma 6.19 with the JS/wasm engines only: the CLI downloads native engines unless told otherwise,
// and that download cannot happen here (no internet). See docs/decisions/0001-persistence.md.
// Migrations are authored with `npm run migrate:new` (prisma migrate diff, no database needed)
// and applied by app/db/migrate.server.ts on both PGlite and PostgreSQL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  // The CLI only needs an adapter for commands that talk to a database; we never run those here.
  adapter: async () => {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgres://localhost/mirakl" });
  },
});
