/**
 * Runs the Shopify simulator as a process:
 *   npx tsx test/simulators/shopify/cli.ts --port 4002 [--host 127.0.0.1] [--app-url http://localhost:3000 --secret S]
 *     [--seed-shop demo.myshopify.com --token shpat_demo]
 * Prints the origin on stdout (first line) and serves until SIGINT/SIGTERM. The control API is at /_sim/<method>.
 */
import { startShopifySimulator } from "./index";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const appUrl = arg("app-url");
  const secret = arg("secret");
  if ((appUrl && !secret) || (!appUrl && secret)) {
    process.stderr.write("--app-url and --secret go together\n");
    process.exit(2);
  }
  const sim = await startShopifySimulator({
    port: Number(arg("port") ?? 4002),
    host: arg("host") ?? "127.0.0.1",
    webhooks: appUrl && secret ? { appUrl, secret } : undefined,
    seed: arg("seed") ? Number(arg("seed")) : undefined,
  });
  const seedShop = arg("seed-shop");
  if (seedShop) {
    sim.control.createShop({
      domain: seedShop,
      accessToken: arg("token") ?? "shpat_demo",
      locations: [{ name: "Main warehouse" }],
      products: [{ title: "Demo product", variants: [{ sku: "DEMO-1", price: "19.90", inventory: { "Main warehouse": 10 } }] }],
    });
  }
  process.stdout.write(`${sim.url}\n`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
