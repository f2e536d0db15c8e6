/**
 * `npx tsx test/simulators/mirakl/cli.ts --port N --api-key KEY [--preset NAME] [--orders-per-minute N] [--seed N]`
 * Serves one tenant whose shop answers to KEY and prints its URL. Stops on SIGINT/SIGTERM.
 */
import { startMiraklSimulator } from "./index";
import { PRESET_NAMES, type PresetName } from "./types";

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: cli.ts --port N --api-key KEY [--preset ${PRESET_NAMES.join("|")}] [--orders-per-minute N] [--seed N] [--host H] [--shop-id N]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) usage(`unexpected argument ${arg}`);
    const eq = arg.indexOf("=");
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) usage(`missing value for ${arg}`);
      out[arg.slice(2)] = value;
      i++;
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const apiKey = args["api-key"];
  if (!apiKey) usage("--api-key is required");
  const port = Number(args.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage("--port must be a port number");
  const preset = (args.preset ?? "default") as PresetName;
  if (!PRESET_NAMES.includes(preset)) usage(`unknown preset ${preset}`);
  const seed = args.seed === undefined ? undefined : Number(args.seed);
  const shopId = args["shop-id"] === undefined ? undefined : Number(args["shop-id"]);
  const sim = await startMiraklSimulator({ port, host: args.host ?? "127.0.0.1", preset, seed, shops: [{ apiKey, shopId }] });
  const opm = args["orders-per-minute"] === undefined ? 0 : Number(args["orders-per-minute"]);
  if (!Number.isFinite(opm) || opm < 0) usage("--orders-per-minute must be a non-negative number");
  if (opm > 0) sim.control.startGenerator({ ordersPerMinute: opm });
  process.stdout.write(`Mirakl simulator (${preset}) listening on ${sim.url} (API base ${sim.url}/api, control ${sim.url}/_sim)\n`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
