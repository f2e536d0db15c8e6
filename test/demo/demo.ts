// `npm run demo`: the app on its embedded database with both simulators, a seeded shop, one connected
// marketplace and steady order traffic. Ports: PORT (3000), MIRAKL_SIM_PORT (4001), SHOPIFY_SIM_PORT (4002).
// MIRAKL_URL + MIRAKL_API_KEY point the marketplace at another Mirakl endpoint instead of the simulator.
import path from "node:path";
import { startStack } from "./stack";

const port = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    process.stderr.write(`${name} must be a port number (got "${v}")\n`);
    process.exit(1);
  }
  return n;
};

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
if (process.env.MIRAKL_URL && !process.env.MIRAKL_API_KEY) {
  process.stderr.write("MIRAKL_URL needs MIRAKL_API_KEY (the seller API key for that Mirakl instance)\n");
  process.exit(1);
}
process.stdout.write("Starting the Mirakl Connector demo (building the app if needed)…\n");
const stack = await startStack({
  appPort: port("PORT", 3000),
  miraklPort: port("MIRAKL_SIM_PORT", 4001),
  shopifyPort: port("SHOPIFY_SIM_PORT", 4002),
  databaseUrl: process.env.DATABASE_URL ?? `pglite:${path.join(root, "data/demo")}`,
  secretsFile: path.join(root, "data/demo-secrets.json"),
  miraklUrl: process.env.MIRAKL_URL,
  miraklApiKey: process.env.MIRAKL_API_KEY,
  logLevel: (process.env.LOG_LEVEL as "info" | undefined) ?? "warn",
  seedPayouts: true,
});
stack.mirakl?.control.startGenerator({ ordersPerMinute: Number(process.env.DEMO_ORDERS_PER_MINUTE ?? 3), basketSize: [1, 3] });

process.stdout.write(
  [
    "",
    "Mirakl Connector demo is running.",
    "",
    `  Open the app:        ${stack.signInUrl}`,
    `  Mirakl simulator:    ${stack.mirakl ? `${stack.mirakl.url} (API key demo-mirakl-key-5f3a9c, control API ${stack.mirakl.url}/_sim/state)` : process.env.MIRAKL_URL}`,
    `  Shopify simulator:   ${stack.shopify.url} (shop demo-brand.myshopify.com)`,
    "",
    "Press Ctrl+C to stop.",
    "",
  ].join("\n"),
);
const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
