/**
 * Orders: acceptance latency and import throughput against the Shopify throttle.
 *
 *   npx tsx bench/orders-import.ts [--orders 1000] [--mode workers|drain] [--plan standard] [--json bench/results/orders-import.json]
 *
 * N orders are created at once in the Mirakl simulator (a burst: the worst case for the acceptance deadline), then
 * the app runs as in production: orders.poll reads them, decides and sends OR21 page by page, a second poll sees them
 * in SHIPPING and queues one orders.import per order, which the job workers run against the Shopify simulator at the
 * chosen plan's real throttle (Standard: 100 points/s restore, 2,000-point bucket).
 *
 * Figures printed:
 *  - acceptance latency per order = the Mirakl simulator's acceptance_decision_date − created_date, i.e. from the
 *    order's creation to the moment the simulator applied our OR21 (the simulated clock is not moved). In
 *    production add the wait for the next poll (≤ 60 s, the OR11 call-frequency contract).
 *  - import throughput = orders imported per second from the first orderCreate to the last, against the best possible
 *    = restoreRate ÷ orderCreate's actual cost, both read from the simulator's responses (extensions.cost), and
 *    the ideal time for N orders given the bucket that is full at the start.
 *
 * --mode workers: pg-boss workers as in production (each worker polls its queue once a second);
 * --mode drain: the queued jobs run back to back in this process (no polling), i.e. what the import path itself costs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setLogSink } from "../app/lib/logger";
import { startHarness } from "../test/support/harness";
import { pollOrdersJob } from "../app/jobs/order-jobs.server";
import { startWorkerProcess } from "../test/support/orders-workers";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(opt("orders") ?? 1000);
const MODE = (opt("mode") ?? "workers") as "workers" | "drain";
const PLAN = (opt("plan") ?? "standard") as "standard" | "advanced" | "plus";
const JSON_OUT = opt("json");

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Watch the Admin API responses for OrderCreate: their actual cost and the bucket Shopify reports. */
const observed = { createCosts: [] as number[], createTimes: [] as number[], restoreRate: 0, maximumAvailable: 0, firstCreate: 0, lastCreate: 0, throttled: 0 };
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const res = await realFetch(input, init);
  const body = typeof init?.body === "string" ? init.body : "";
  if (body.includes('"operationName":"OrderCreate"')) {
    const json = (await res.clone().json().catch(() => null)) as { errors?: Array<{ extensions?: { code?: string } }>; extensions?: { cost?: { actualQueryCost?: number | null; throttleStatus?: { restoreRate: number; maximumAvailable: number } } } } | null;
    const cost = json?.extensions?.cost;
    if (json?.errors?.some((e) => e.extensions?.code === "THROTTLED")) observed.throttled++;
    if (typeof cost?.actualQueryCost === "number") {
      observed.createCosts.push(cost.actualQueryCost);
      observed.createTimes.push(Date.now());
      observed.firstCreate ||= Date.now();
      observed.lastCreate = Date.now();
    }
    if (cost?.throttleStatus) {
      observed.restoreRate = cost.throttleStatus.restoreRate;
      observed.maximumAvailable = cost.throttleStatus.maximumAvailable;
    }
  }
  return res;
};

async function main() {
  setLogSink(() => undefined, "error");
  const skus = ["BENCH-TEE-M", "BENCH-TEE-L", "BENCH-MUG"];
  const h = await startHarness({
    shopifyPlan: PLAN,
    products: [{ title: "Bench", variants: skus.map((sku) => ({ sku, price: 20, inventory: { Warehouse: 100_000 } })) }],
    mirakl: { tenant: { debitDelayMs: 0, acceptanceWindowMs: 30 * 60_000 } },
    connection: { acceptancePolicy: "ACCEPT_AUTOMATICALLY", acceptanceWindowMinutes: 30 },
  });
  const c = h.connection!;
  const payload = { shop: h.shop, connectionId: c.id };
  try {
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ offerSku: skus[(i + k) % 3]!, quantity: 1 + ((i + k) % 2) }));
      ids.push(h.mirakl.control.createOrder({ lines, country: ["FRA", "DEU", "GBR"][i % 3] }).order_id);
    }

    // Acceptance: one poll, as the scheduler would run it at the next tick.
    const t0 = Date.now();
    await h.services.jobs.runNow(pollOrdersJob, payload);
    const acceptanceWall = Date.now() - t0;
    const latencies = ids
      .map((id) => {
        const o = h.mirakl.control.getOrder(id)!;
        return Date.parse(String(o.acceptance_decision_date)) - Date.parse(String(o.created_date));
      })
      .filter((x) => Number.isFinite(x))
      .sort((a, b) => a - b);

    // Import: the next poll sees SHIPPING and queues the imports; workers (or a drain) run them.
    const t1 = Date.now();
    await h.services.jobs.runNow(pollOrdersJob, payload);
    const queueWall = Date.now() - t1;
    const t2 = Date.now();
    const imported = () => h.services.prisma.orderLink.count({ where: { connectionId: c.id, importStatus: "IMPORTED" } });
    if (MODE === "drain") {
      await h.services.jobs.drain({ timeoutMs: 60 * 60_000, names: ["orders.import"] });
    } else {
      const w = await startWorkerProcess(h.services, "bench");
      while ((await imported()) < N && Date.now() - t2 < 30 * 60_000) await new Promise((r) => setTimeout(r, 200));
      await w.stop();
    }
    const importWall = Date.now() - t2;
    const done = await imported();
    const creates = observed.createCosts.length;
    const cost = creates > 0 ? observed.createCosts.reduce((a, b) => a + b, 0) / creates : NaN;
    const best = observed.restoreRate / cost;
    const createSpan = Math.max(1, observed.lastCreate - observed.firstCreate);
    const rate = creates > 1 ? (creates - 1) / (createSpan / 1000) : NaN;
    // The bucket is full at the start: the first maximumAvailable/cost orders go at once, the rest at the restore rate.
    // Steady state = the second half of the run, long after the initial allowance is spent: what a long burst runs at.
    const allowance = Math.floor(observed.maximumAvailable / cost);
    const tail = observed.createTimes.slice(Math.max(allowance, Math.floor(observed.createTimes.length / 2)));
    const steady = tail.length > 1 ? (tail.length - 1) / (((tail[tail.length - 1] ?? 0) - (tail[0] ?? 0)) / 1000) : NaN;
    const idealMs = (Math.max(0, creates * cost - observed.maximumAvailable) / observed.restoreRate) * 1000;
    const dupes = h.shopify.control.orders({ shop: h.shop }).length - done;

    const result = {
      date: new Date().toISOString(),
      orders: N,
      mode: MODE,
      plan: PLAN,
      acceptance: { wallMs: acceptanceWall, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), p99Ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1] ?? NaN, accepted: latencies.length },
      import: {
        imported: done,
        duplicates: dupes,
        queueingPollMs: queueWall,
        wallMs: importWall,
        orderCreateCalls: creates,
        orderCreateActualCost: cost,
        restoreRate: observed.restoreRate,
        bucket: observed.maximumAvailable,
        ordersPerSecond: rate,
        steadyOrdersPerSecond: steady,
        bestPossiblePerSecond: best,
        steadyRatioToBest: steady / best,
        idealMsForAll: idealMs,
        wallRatioToIdeal: idealMs / importWall,
        throttledResponses: observed.throttled,
      },
    };
    console.log(`orders-import: ${N} orders, mode ${MODE}, Shopify ${PLAN} plan`);
    console.log(`  acceptance (created in Mirakl → OR21 applied by the simulator, one poll of ${N} orders):`);
    console.log(`    accepted ${latencies.length}/${N}; p50 ${s(result.acceptance.p50Ms)}, p95 ${s(result.acceptance.p95Ms)}, p99 ${s(result.acceptance.p99Ms)}, max ${s(result.acceptance.maxMs)}; poll wall time ${s(acceptanceWall)}`);
    console.log(`  import into Shopify (orderCreate actual cost ${cost} points, restore ${observed.restoreRate} points/s, bucket ${observed.maximumAvailable}):`);
    console.log(`    imported ${done}/${N} (duplicates: ${dupes}); best possible ${best.toFixed(2)} orders/s (restore rate ÷ cost)`);
    console.log(`    steady state (second half of the run; the full bucket let the first ${allowance} through at once): ${steady.toFixed(2)} orders/s, ratio to best ${(steady / best).toFixed(3)}`);
    console.log(`    overall: ${rate.toFixed(2)} orders/s from first to last orderCreate; wall time ${s(importWall)} vs ideal ${s(idealMs)} (ratio ${(idealMs / importWall).toFixed(3)}); THROTTLED answers ${observed.throttled}; queueing poll ${s(queueWall)}`);
    if (JSON_OUT) {
      mkdirSync(path.dirname(JSON_OUT), { recursive: true });
      writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
    }
  } finally {
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
