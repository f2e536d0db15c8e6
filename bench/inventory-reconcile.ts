/**
 * Inventory benchmark: a full stock reconciliation of 100,000 mapped SKUs, and the latency from a Shopify stock
 * change to the STO01 that carries it to Mirakl.
 *
 *   npx tsx bench/inventory-reconcile.ts [--skus 100000] [--drift 0.01] [--changes 40] [--isolated 2]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npx tsx bench/inventory-reconcile.ts
 *
 * Both simulators run in a child process (this file with --serve-simulators), seeded directly through their
 * in-process control APIs, so the memory figures are the app's (and, on PGlite, its embedded database's) alone.
 * The app runs with Mirakl's real pacing: STO01 once a minute, STO02 every 15 s, OF53 every 10 s.
 *
 * Phases:
 *  1. Reconciliation #1 (cold cache): Shopify bulk operation, OF52 full export, compare, one STO01 with the drifted SKUs.
 *  2. Latency: job workers on, `--changes` stock changes at random 0..6 s intervals through the Shopify simulator
 *     (webhooks over HTTP, as in production), then `--isolated` changes each after a quiet minute.
 *  3. Reconciliation #2 (warm): OF52 differential export, fresh drift on half as many SKUs.
 * Figures are printed and written to bench/results/inventory-reconcile-<timestamp>.json.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "@shopify/shopify-api";

const THIS_FILE = fileURLToPath(import.meta.url);
const SHOP = "bench-brand.myshopify.com";
const TOKEN = "shpat_bench_brand_token";
const MIRAKL_KEY = "bench-mirakl-key-0001";
const LOCATIONS = ["Warehouse", "Store"];

interface Args {
  skus: number;
  drift: number;
  changes: number;
  isolated: number;
}

function parseArgs(argv: string[]): Args & { appUrl?: string; secret?: string } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    skus: Number(get("skus") ?? 100_000),
    drift: Number(get("drift") ?? 0.01),
    changes: Number(get("changes") ?? 40),
    isolated: Number(get("isolated") ?? 2),
    appUrl: get("app-url"),
    secret: get("secret"),
  };
}

/** Deterministic PRNG (mulberry32) so two runs drift the same SKUs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const skuOf = (i: number) => `BENCH-${String(i).padStart(6, "0")}`;
const stockOf = (i: number) => ({ Warehouse: (i * 7) % 40, Store: (i * 3) % 6 });

// ---------------------------------------------------------------------------------------------------------------
// Child: the two simulators

async function serveSimulators(): Promise<void> {
  const args = parseArgs(process.argv);
  const { startShopifySimulator } = await import("../test/simulators/shopify");
  const { startMiraklSimulator } = await import("../test/simulators/mirakl");
  const shopify = await startShopifySimulator({ webhooks: { appUrl: args.appUrl ?? "http://127.0.0.1:9", secret: args.secret ?? "secret" } });
  const created = shopify.control.createShop({
    domain: SHOP,
    accessToken: TOKEN,
    currency: "GBP",
    plan: "plus",
    locations: LOCATIONS.map((name) => ({ name })),
    products: Array.from({ length: args.skus }, (_, i) => ({ title: `Product ${i}`, variants: [{ sku: skuOf(i), price: 10, inventory: stockOf(i) }] })),
  });
  // Mirakl shows what a FIXED 1 buffer gives (in step), except a `drift` share of offers that differ.
  const random = prng(42);
  const offers = Array.from({ length: args.skus }, (_, i) => {
    const s = stockOf(i);
    const expected = Math.max(0, s.Warehouse + s.Store - 1);
    const drifted = random() < args.drift;
    return { sku: skuOf(i), price: 10, quantity: drifted ? expected + 1 + Math.floor(random() * 5) : expected };
  });
  const mirakl = await startMiraklSimulator({ shops: [{ apiKey: MIRAKL_KEY, shopId: 2001, shopName: "Bench Shop" }], offers });
  const file = path.join(tmpdir(), `bench-inventory-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ locations: created.locations, variants: created.variants }));
  process.send?.({ ready: true, seededAt: Date.now(), shopifyUrl: shopify.url, miraklUrl: mirakl.url, catalogueFile: file, drifted: offers.filter((o, i) => o.quantity !== Math.max(0, stockOf(i).Warehouse + stockOf(i).Store - 1)).length });
  process.on("message", async (m: { stop?: boolean }) => {
    if (m.stop) {
      await shopify.close();
      await mirakl.close();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: the app

interface MemoryPeak {
  rssMb: number;
  heapUsedMb: number;
  baselineRssMb: number;
  baselineHeapMb: number;
}

function sampleMemory(): { stop(): MemoryPeak } {
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const t = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > rss) rss = m.rss;
    if (m.heapUsed > heap) heap = m.heapUsed;
  }, 25);
  return {
    stop() {
      clearInterval(t);
      const mb = (n: number) => Math.round((n / 1e6) * 10) / 10;
      return { rssMb: mb(rss), heapUsedMb: mb(heap), baselineRssMb: mb(base.rss), baselineHeapMb: mb(base.heapUsed) };
    },
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

function summary(values: number[]) {
  const r = (n: number) => Math.round(n);
  return { n: values.length, p50: r(percentile(values, 50)), p95: r(percentile(values, 95)), p99: r(percentile(values, 99)), max: r(Math.max(...values)) };
}

function diffCalls(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const args = parseArgs(process.argv);
  const { startWebhookReceiver } = await import("../test/support/webhook-receiver");
  const { testEnv, TEST_API_SECRET } = await import("../test/support/test-env");
  const { bootApp } = await import("../app/server/boot.server");
  const { REQUIRED_SCOPES } = await import("../app/shopify.server");
  const { createConnection } = await import("../app/sync/connections.server");
  const { inventoryReconcileJob, inventoryImportStatusJob, inventoryPushJob } = await import("../app/jobs/inventory-jobs.server");
  const { createMiraklClient } = await import("../app/mirakl");
  const { decryptSecret } = await import("../app/lib/crypto.server");
  const { createTestDatabaseUrl } = await import("../test/support/test-db");
  const databaseUrl = await createTestDatabaseUrl(process.env.BENCH_DATABASE_URL);

  const receiver = await startWebhookReceiver();
  console.log(`seeding ${args.skus} SKUs in both simulators (child process)…`);
  const child: ChildProcess = fork(THIS_FILE, ["--serve-simulators", "--skus", String(args.skus), "--drift", String(args.drift), "--app-url", receiver.url, "--secret", TEST_API_SECRET], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<{ shopifyUrl: string; miraklUrl: string; catalogueFile: string; drifted: number; seededAt: number }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as never));
    child.once("exit", (code) => reject(new Error(`simulators exited (${code})`)));
  });
  // Released once the mappings are inserted, so the memory figures are the app's, not the bench's setup.
  let catalogue: { locations: Record<string, string>; variants: Record<string, { variantId: string; inventoryItemId: string }> } | null = JSON.parse(readFileSync(ready.catalogueFile, "utf8"));
  if (!catalogue) throw new Error("no catalogue");
  const mirakl = (p: string, init?: RequestInit) => fetch(`${ready.miraklUrl}/_sim${p}`, init).then((r) => r.json() as Promise<any>);
  const shopify = (method: string, body?: unknown) =>
    fetch(`${ready.shopifyUrl}/_sim/${method}`, body === undefined ? undefined : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);

  const app = await bootApp({ env: testEnv({ DATABASE_URL: databaseUrl.url, SHOPIFY_ADMIN_API_ORIGIN: ready.shopifyUrl, SHOPIFY_APP_URL: receiver.url, LOG_LEVEL: "warn" }), workers: false, schedules: false });
  const { services } = app;
  const session = new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "bench", isOnline: false });
  session.accessToken = TOKEN;
  session.scope = [...REQUIRED_SCOPES].join(",");
  await services.shopify.sessionStorage.storeSession(session);
  await services.prisma.shop.create({ data: { domain: SHOP } });
  const created = await createConnection({ services, shop: SHOP, input: { name: "Bench marketplace", baseUrl: ready.miraklUrl, apiKey: MIRAKL_KEY } });
  if (created.kind !== "created") throw new Error(JSON.stringify(created));
  const connection = await services.prisma.marketplaceConnection.update({
    where: { id: created.connection.id },
    data: { locationIds: Object.values(catalogue.locations), safetyStockMode: "FIXED", safetyStockValue: 1 },
  });
  const t0 = Date.now();
  let skus: string[] | null = Array.from({ length: args.skus }, (_, i) => skuOf(i));
  // What the catalogue sync would have produced, inserted in bulk (the setup is not what is measured).
  for (let i = 0; i < skus.length; i += 10_000) {
    const variants = catalogue.variants;
    const rows = skus.slice(i, i + 10_000).map((sku) => ({ sku, variant: variants[sku]!.variantId, item: variants[sku]!.inventoryItemId }));
    await services.prisma.$executeRawUnsafe(
      `INSERT INTO "SkuMapping" ("id", "connectionId", "offerSku", "shopifySku", "shopifyVariantId", "shopifyInventoryItemId", "matchStatus", "source", "createdAt", "updatedAt")
       SELECT gen_random_uuid()::text, $1, v.sku, v.sku, v.variant, v.item, 'MATCHED', 'AUTO', now(), now() FROM jsonb_to_recordset($2::jsonb) AS v(sku text, variant text, item text)`,
      connection.id,
      JSON.stringify(rows),
    );
  }
  console.log(`mapped ${skus.length} SKUs in ${Date.now() - t0} ms; ${ready.drifted} offers drift on Mirakl`);
  catalogue = null;
  skus = null;

  // A client with no pacing of its own, to read STO02's date_created (when Mirakl received each file).
  const probe = createMiraklClient({ baseUrl: ready.miraklUrl, apiKey: decryptSecret(connection.apiKeyEncrypted, services.env.ENCRYPTION_KEY), limits: { STO02: null } });
  const receivedAt = async (miraklImportId: string) => new Date((await probe.getStockImportStatus(miraklImportId)).date_created ?? NaN).getTime();

  async function reconcile(label: string) {
    const miraklBefore = (await mirakl("/stats")).calls as Record<string, number>;
    const shopifyBefore = (await shopify("stats")).byRootField as Record<string, number>;
    if (global.gc) global.gc();
    const mem = sampleMemory();
    const started = Date.now();
    const outcome = (await services.jobs.runNow(inventoryReconcileJob, { shop: SHOP, connectionId: connection.id, trigger: "bench" })) as any;
    const ms = Date.now() - started;
    const memory = mem.stop();
    // Mirakl's minute may not be over (a file went out less than a minute ago): the push was deferred, as in
    // production, and goes out when the slot opens. Run it then, so the file is counted.
    let deferredPush: { waitedMs: number; lines: number } | null = null;
    if (outcome.push?.kind === "deferred") {
      const waitStart = Date.now();
      await sleep(outcome.push.delaySeconds * 1000 + 500);
      const pushed = (await services.jobs.runNow(inventoryPushJob, { shop: SHOP, connectionId: connection.id })) as { kind: string; lines?: number };
      deferredPush = { waitedMs: Date.now() - waitStart, lines: pushed.lines ?? 0 };
    }
    const miraklCalls = diffCalls((await mirakl("/stats")).calls, miraklBefore);
    const shopifyCalls = diffCalls((await shopify("stats")).byRootField, shopifyBefore);
    // Let Mirakl process the file and follow it to COMPLETE (STO02), so the next phase starts from a settled state.
    for (const imp of await services.prisma.stockImport.findMany({ where: { status: { in: ["WAITING", "RUNNING"] } } })) {
      for (let i = 0; i < 10; i++) {
        await sleep(4_000);
        const r = (await services.jobs.runNow(inventoryImportStatusJob, { shop: SHOP, connectionId: connection.id, stockImportId: imp.id })) as { kind: string };
        if (r.kind !== "pending") break;
      }
    }
    const result = {
      label,
      ms,
      timings: outcome.timings,
      skuCount: outcome.skuCount,
      differences: outcome.differences,
      pushedLines: outcome.pushedLines + (deferredPush?.lines ?? 0),
      deferredPush,
      shopifyRead: outcome.shopifyRead,
      miraklRead: outcome.miraklRead,
      miraklCallsCounted: outcome.miraklCalls,
      shopifyCallsCounted: outcome.shopifyCalls,
      miraklCallsBySimulator: miraklCalls,
      shopifyCallsBySimulator: shopifyCalls,
      memory,
    };
    console.log(`\n== ${label}`);
    console.log(`   ${result.skuCount} SKUs in ${(ms / 1000).toFixed(1)} s (Shopify ${outcome.timings.shopifyMs} ms, of which building the bulk file ${outcome.timings.shopifyBulkServerMs ?? "-"} ms; Mirakl ${outcome.timings.miraklMs} ms, compare ${outcome.timings.compareMs} ms, push ${outcome.timings.pushMs} ms)`);
    console.log(`   differences ${result.differences}, lines pushed ${result.pushedLines}${deferredPush ? ` (after waiting ${Math.round(deferredPush.waitedMs / 1000)} s for Mirakl's minute)` : ""}; reads: Shopify ${result.shopifyRead}, Mirakl ${result.miraklRead}`);
    console.log(`   Mirakl calls ${JSON.stringify(miraklCalls)}; Shopify calls ${JSON.stringify(shopifyCalls)}`);
    console.log(`   peak RSS ${memory.rssMb} MB (baseline ${memory.baselineRssMb}), peak heap ${memory.heapUsedMb} MB (baseline ${memory.baselineHeapMb})`);
    return result;
  }

  // Mirakl's differential export overlaps the previous one by a minute (read-plan.ts): let the freshly seeded
  // offers age past it, as a real catalogue's have, or reconciliation #2 would re-read all of them.
  await sleep(Math.max(0, ready.seededAt + 65_000 - Date.now()));
  const first = await reconcile("reconciliation #1: cold cache, bulk operation + OF52 full export");

  // ---- latency
  await services.jobs.startWorkers();
  const random = prng(7);
  const changes: { sku: string; at: number }[] = [];
  const change = async () => {
    const sku = skuOf(Math.floor(random() * args.skus));
    const at = Date.now();
    await shopify("adjustStock", { shop: SHOP, sku, location: "Warehouse", delta: 1 + Math.floor(random() * 3) });
    changes.push({ sku, at });
  };
  console.log(`\n== latency: ${args.changes} changes 0..6 s apart, then ${args.isolated} isolated`);
  for (let i = 0; i < args.changes; i++) {
    await change();
    await sleep(random() * 6_000);
  }
  // Done when every change is in a file Mirakl has finished with (or after 3 minutes, reported as undelivered).
  const carried = async (c: { sku: string; at: number }) => {
    const rows = await services.prisma.$queryRawUnsafe<{ status: string }[]>(
      `SELECT "status" FROM "StockImport" WHERE "connectionId" = $1 AND "lines" @> $2::jsonb AND "submittedAt" >= $3::timestamptz AT TIME ZONE 'UTC'`,
      connection.id,
      JSON.stringify([{ offerSku: c.sku }]),
      new Date(c.at - 1_000).toISOString(),
    );
    return rows.some((r) => r.status === "COMPLETE" || r.status === "FAILED");
  };
  const settle = async () => {
    const deadline = Date.now() + 180_000;
    for (const c of changes) while (!(await carried(c)) && Date.now() < deadline) await sleep(500);
  };
  await settle();
  const isolatedFrom = changes.length;
  for (let i = 0; i < args.isolated; i++) {
    const last = await services.prisma.stockImport.findFirst({ where: { connectionId: connection.id, miraklImportId: { not: null } }, orderBy: { submittedAt: "desc" } });
    const quietUntil = (last ? await receivedAt(last.miraklImportId!) : Date.now()) + 61_000;
    await sleep(Math.max(0, quietUntil - Date.now()));
    await change();
    await settle();
  }
  const imports = await services.prisma.stockImport.findMany({ where: { connectionId: connection.id, miraklImportId: { not: null } }, orderBy: { submittedAt: "asc" } });
  const fileTimes: { at: number; skus: Set<string> }[] = [];
  for (const imp of imports) fileTimes.push({ at: await receivedAt(imp.miraklImportId!), skus: new Set((imp.lines as { offerSku: string }[]).map((l) => l.offerSku)) });
  fileTimes.sort((a, b) => a.at - b.at);
  const e2e: number[] = [];
  const slotWait: number[] = [];
  const pipeline: number[] = [];
  const isolatedE2e: number[] = [];
  let undelivered = 0;
  changes.forEach((c, idx) => {
    const carried = fileTimes.find((f) => f.at >= c.at && f.skus.has(c.sku));
    if (!carried) {
      undelivered++;
      return;
    }
    const previous = [...fileTimes].reverse().find((f) => f.at < carried.at);
    const slotOpen = previous ? previous.at + 60_000 : 0;
    const wait = Math.max(0, slotOpen - c.at);
    e2e.push(carried.at - c.at);
    slotWait.push(wait);
    pipeline.push(carried.at - Math.max(c.at, slotOpen));
    if (idx >= isolatedFrom) isolatedE2e.push(carried.at - c.at);
  });
  const latency = { changes: changes.length, files: fileTimes.length, undelivered, e2eMs: summary(e2e), slotWaitMs: summary(slotWait), pipelineMs: summary(pipeline), isolatedMs: summary(isolatedE2e) };
  console.log(`   ${changes.length} changes went out in ${fileTimes.length} STO01 files (${undelivered} not delivered)`);
  console.log(`   change → STO01 received: p50 ${latency.e2eMs.p50} ms, p95 ${latency.e2eMs.p95} ms, p99 ${latency.e2eMs.p99} ms`);
  console.log(`     of which waiting for Mirakl's one-import-a-minute slot: p50 ${latency.slotWaitMs.p50} ms, p95 ${latency.slotWaitMs.p95} ms`);
  console.log(`     of which webhook + debounce + jobs + upload once allowed: p50 ${latency.pipelineMs.p50} ms, p95 ${latency.pipelineMs.p95} ms`);
  console.log(`   isolated changes (slot free): ${isolatedE2e.map((n) => Math.round(n)).join(", ")} ms`);
  // Workers off again (the queue stays up: reconciliation enqueues its follow-up jobs).
  for (const name of [...services.jobs.definitions().map((d) => d.name), "dead-letter"]) await services.jobs.boss.offWork(name);

  // ---- reconciliation #2: fresh drift on Mirakl, differential export
  const random2 = prng(99);
  const driftAgain = Math.round((args.skus * args.drift) / 2);
  for (let k = 0; k < driftAgain; k++) {
    const i = Math.floor(random2() * args.skus);
    await mirakl(`/offers/${encodeURIComponent(skuOf(i))}/quantity`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ quantity: 1000 + k }) });
  }
  const second = await reconcile(`reconciliation #2: warm, OF52 differential export (${driftAgain} offers changed on Mirakl)`);

  const results = { date: new Date().toISOString(), database: databaseUrl.url.startsWith("pglite") ? "pglite" : "postgres", node: process.version, args, reconciliations: [first, second], latency };
  const dir = path.join(path.dirname(THIS_FILE), "results");
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `inventory-reconcile-${results.date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nresults written to ${path.relative(process.cwd(), out)}`);

  child.send({ stop: true });
  await app.close();
  await receiver.close();
  await databaseUrl.drop();
  process.exit(0);
}

if (process.argv.includes("--serve-simulators")) await serveSimulators();
else await main();
