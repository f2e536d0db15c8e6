import type { Services } from "./services.server";

/**
 * The booted app (database, job queue, clients) as seen from Remix routes. The HTTP server and the jobs are
 * started by app/server/main.ts, outside the Remix bundle, so the bundle reaches them through this global
 * rather than through a module singleton (the bundle has its own copy of every module).
 */
const KEY = Symbol.for("mirakl-connector.services");
type Holder = { [KEY]?: Services };

export function setServices(services: Services | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function services(): Services {
  const s = (globalThis as Holder)[KEY];
  if (!s) throw new Error("The app is not booted: start it with `npm start` or `npm run demo` (app/server/main.ts).");
  return s;
}
