/**
 * Fulfilment latency: how long from Shopify's fulfillments/create webhook to the OR24 that Mirakl receives.
 *
 *   npx tsx bench/fulfilment-latency.ts [--orders 40] [--burst 40] [--warmup 3] [--json bench/results/fulfilment-latency.json]
 *
 * The whole app path on the simulators (no faults): the signed webhook over HTTP to the webhook route, the
 * delivery recorded, webhook.process, fulfilment.push (Shopify read of the fulfilment, OR11 re-read, OR23, OR24).
 * t0 = the simulator's first delivery attempt of the webhook; t1 = the order's shipped_date on the Mirakl
 * simulator (stamped when it applies OR24; the simulated clock is not moved, so it is wall-clock time).
 *
 * Three runs, each printing n, p50, p95, p99, max and mean:
 *  - "workers, one at a time": the job workers as in production (pg-boss polls every 1 s when idle), one
 *    fulfilment at a time, so each measures an unloaded path including the two queue hops;
 *  - "workers, burst": `--burst` fulfilments at once, as when a warehouse closes its day;
 *  - "processing only": no queue polling (the jobs are drained as soon as the webhook is recorded), i.e. what the
 *    path costs without waiting for a worker to pick it up.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { setLogLevel } from "../app/lib/logger";
import { startHarness, type Harness } from "../test/support/harness";
import { createImportedOrder, type ImportedOrder } from "../test/support/imported-order-fixture";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const jsonOut = (() => {
  const i = args.indexOf("--json");
  return i >= 0 ? args[i + 1] : undefined;
})();
const ORDERS = arg("orders", 40);
const BURST = arg("burst", 40);
/** The first fulfilments of a fresh process pay for JIT, connection pools and the queue's first polls. */
const WARMUP = arg("warmup", 3);

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

function summarise(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
  };
}

function print(label: string, st: Stats): void {
  const f = (v: number) => `${v.toFixed(0).padStart(6)} ms`;
  console.log(`${label.padEnd(28)} n=${String(st.n).padStart(3)}  p50 ${f(st.p50)}  p95 ${f(st.p95)}  p99 ${f(st.p99)}  max ${f(st.max)}  mean ${f(st.mean)}`);
}

/** Stock enough for any run (the harness default catalogue would run out). */
const PRODUCTS = [{ title: "Bench tee", variants: [{ sku: "BENCH-TEE", price: 20, inventory: { Warehouse: 100_000 } }, { sku: "BENCH-TOTE", price: 10, inventory: { Warehouse: 100_000 } }] }];

async function prepare(h: Harness, n: number): Promise<ImportedOrder[]> {
  const world = { services: h.services, mirakl: h.mirakl, shop: h.shop, connection: h.connection! };
  const out: ImportedOrder[] = [];
  for (let i = 0; i < n; i++) out.push(await createImportedOrder(world, { lines: [{ sku: i % 2 ? "BENCH-TOTE" : "BENCH-TEE", quantity: 1 }] }));
  return out;
}

/** The first delivery attempt of this fulfilment's fulfillments/create, from the Shopify simulator's log. */
function webhookStart(h: Harness, fulfillmentId: string): number {
  const entry = h.shopify.control
    .webhookLog({ shop: h.shop, topic: "fulfillments/create" })
    .find((e) => (e.payload as { admin_graphql_api_id?: string }).admin_graphql_api_id === fulfillmentId && e.attempts.length > 0);
  if (!entry?.attempts[0]) throw new Error(`no delivery recorded for ${fulfillmentId}`);
  return Date.parse(entry.attempts[0].at);
}

function shippedAt(h: Harness, o: ImportedOrder): number | null {
  const order = h.mirakl.control.getOrder(o.miraklOrderId);
  if (order?.order_state !== "SHIPPED") return null;
  const stamp = order.order_lines.map((l) => l.shipped_date as unknown).find((d): d is string => typeof d === "string");
  return stamp ? Date.parse(stamp) : null;
}

async function waitShipped(h: Harness, orders: ImportedOrder[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (orders.some((o) => shippedAt(h, o) === null)) {
    if (Date.now() > deadline) throw new Error(`not shipped within ${timeoutMs} ms: ${orders.filter((o) => shippedAt(h, o) === null).length} order(s)`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function latencies(h: Harness, orders: ImportedOrder[], fulfilments: string[]): number[] {
  return orders.map((o, i) => shippedAt(h, o)! - webhookStart(h, fulfilments[i]!));
}

async function withWorkers(): Promise<{ sequential: Stats; burst: Stats; orOps: Record<string, number> }> {
  const h = await startHarness({ products: PRODUCTS, locations: ["Warehouse"], mirakl: { preset: "default", tenant: { debitDelayMs: 0 } }, workers: true });
  try {
    const warm = await prepare(h, WARMUP);
    const seq = await prepare(h, ORDERS);
    const burst = await prepare(h, BURST);
    for (const [i, o] of warm.entries()) {
      h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: `1ZWARM${i}` });
      await waitShipped(h, [o], 60_000);
    }
    const seqFulfilments: string[] = [];
    for (const [i, o] of seq.entries()) {
      seqFulfilments.push(h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: `1ZSEQ${i}` }).fulfillmentId!);
      await waitShipped(h, [o], 30_000);
    }
    const burstFulfilments = burst.map((o, i) => h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: `1ZBURST${i}` }).fulfillmentId!);
    await waitShipped(h, burst, 120_000);
    await h.shopify.control.flushWebhooks();
    return {
      sequential: summarise(latencies(h, seq, seqFulfilments)),
      burst: summarise(latencies(h, burst, burstFulfilments)),
      orOps: h.mirakl.control.stats().writesAppliedByOperation,
    };
  } finally {
    await h.close();
  }
}

async function processingOnly(): Promise<Stats> {
  const h = await startHarness({ products: PRODUCTS, locations: ["Warehouse"], mirakl: { preset: "default", tenant: { debitDelayMs: 0 } }, workers: false });
  try {
    const warm = await prepare(h, WARMUP);
    for (const [i, o] of warm.entries()) {
      h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: `1ZWARMD${i}` });
      await h.drain();
    }
    const orders = await prepare(h, ORDERS);
    const fulfilments: string[] = [];
    for (const [i, o] of orders.entries()) {
      fulfilments.push(h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: `1ZDRAIN${i}` }).fulfillmentId!);
      await h.drain();
    }
    return summarise(latencies(h, orders, fulfilments));
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  setLogLevel("error");
  console.log(
    `fulfilment latency: fulfillments/create webhook → OR24 applied by the Mirakl simulator (no faults; ${ORDERS} one at a time, burst of ${BURST}, ${WARMUP} warm-up fulfilments not counted)`,
  );
  const workers = await withWorkers();
  const drain = await processingOnly();
  print("workers, one at a time", workers.sequential);
  print(`workers, burst of ${BURST}`, workers.burst);
  print("processing only (drained)", drain);
  console.log(`Mirakl writes applied (workers run): ${JSON.stringify(workers.orOps)}`);
  if (jsonOut) {
    mkdirSync(path.dirname(jsonOut), { recursive: true });
    writeFileSync(jsonOut, JSON.stringify({ at: new Date().toISOString(), orders: ORDERS, burst: BURST, workers, processingOnly: drain }, null, 2));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
