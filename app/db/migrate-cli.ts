// `npm run migrate:deploy`: apply prisma/migrations to DATABASE_URL (PostgreSQL or PGlite) and exit.
import { loadEnv } from "../env.server";
import { openDatabase } from "./database.server";

const env = loadEnv();
const db = await openDatabase(env.DATABASE_URL, { migrate: true });
await db.close();
