/**
 * The burst: 1,000 orders on a marketplace with a 30-minute acceptance window, Shopify throttled at the
 * Standard plan's real rate (100 points/s: orderCreate costs 10, so ~10 orders/s at best), Mirakl answering ~5% of
 * calls with 5xx and a few 429s, and two 429 storms. Real pg-boss workers run the jobs; the worker is killed twice
 * (once while it accepts, once while it imports) and a new one started on the same database.
 *
 * Outcome: every acceptable order accepted before its deadline (Mirakl's own acceptance date), every accepted order
 * in Shopify exactly once with Mirakl's prices, taxes and addresses, none lost, none duplicated, every held order
 * with a Task; when the window closes, Mirakl refuses the held ones and we record and count it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { startWorkerProcess, type WorkerProcess } from "../support/orders-workers";
import { pollNow, waitFor } from "../support/orders";
import { pollOrdersJob, scheduleOrderJobs } from "../../app/jobs/order-jobs.server";
import { setLogSink } from "../../app/lib/logger";
import { ISO3_TO_ISO2 } from "../../app/sync/orders/country-codes";

const N = Number(process.env.ORDERS_BURST_N ?? 1000);
const MIN = 60_000;
const WINDOW = 30 * MIN;
const COUNTRIES = ["FRA", "DEU", "GBR", "USA"];

const PRODUCTS: Array<{ title: string; variants: Array<{ sku: string; price: number; inventory: Record<string, number> }> }> = [
  { title: "Burst tee", variants: [{ sku: "BURST-TEE-M", price: 25, inventory: { Warehouse: 4000, Store: 500 } }, { sku: "BURST-TEE-L", price: 25, inventory: { Warehouse: 4000 } }] },
  { title: "Burst mug", variants: [{ sku: "BURST-MUG", price: 12.5, inventory: { Warehouse: 5000 } }] },
  // Scarce: 50 units for 50 orders of 2 → the first 25 are accepted, the rest held (never the same unit twice).
  { title: "Burst lamp", variants: [{ sku: "BURST-LAMP", price: 49.9, inventory: { Warehouse: 50 } }] },
];

type Kind = "ok" | "unmapped" | "scarce";
function orderSpec(i: number): { kind: Kind; lines: Array<{ offerSku: string; quantity: number; unitPrice?: number }> } {
  if (i % 20 === 0) return { kind: "unmapped", lines: [{ offerSku: "BURST-TEE-M", quantity: 1 }, { offerSku: "BURST-NOT-IN-SHOPIFY", quantity: 1, unitPrice: 15 }] };
  if (i % 20 === 1) return { kind: "scarce", lines: [{ offerSku: "BURST-LAMP", quantity: 2 }] };
  const skus = ["BURST-TEE-M", "BURST-TEE-L", "BURST-MUG"];
  const n = 1 + (i % 3);
  return { kind: "ok", lines: Array.from({ length: n }, (_, k) => ({ offerSku: skus[(i + k) % 3]!, quantity: 1 + ((i + k) % 2) })) };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe(`order burst: ${N} orders, Shopify at the Standard plan's rate, Mirakl failing ~5% of calls, worker killed twice`, () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    setLogSink((line) => logs.push(line), "warn");
    h = await startHarness({
      products: PRODUCTS,
      shopifyPlan: "standard",
      mirakl: { tenant: { acceptanceWindowMs: WINDOW, debitDelayMs: 0 } },
      connection: { acceptancePolicy: "ACCEPT_AUTOMATICALLY", acceptanceWindowMinutes: 30 },
    });
    // Deadlines and claims are judged on the marketplace's clock, which this test moves forward.
    h.services.now = () => h.mirakl.control.now();
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await w.stop().catch(() => undefined);
    await h?.close();
    setLogSink((line, level) => (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n"), "warn");
  });

  it("accepts every acceptable order in time and imports each exactly once, through two worker crashes", async () => {
    const c = h.connection!;
    const prisma = h.services.prisma;
    const shopify = h.shopify.control;
    expect(shopify.getShop({ shop: h.shop }).throttleStatus).toMatchObject({ restoreRate: 100 });

    const created = Array.from({ length: N }, (_, i) => {
      const spec = orderSpec(i);
      const o = h.mirakl.control.createOrder({ lines: spec.lines, country: COUNTRIES[i % COUNTRIES.length] });
      return { id: o.order_id, kind: spec.kind, createdAt: Date.parse(String(o.created_date)) };
    });
    const t0 = Math.min(...created.map((o) => o.createdAt));
    h.mirakl.control.setFaults({ rate5xx: 0.05, rate429: 0.01, storm429: { forMs: 8_000 } });

    const started = Date.now();
    const phase = (what: string) => console.log(`[burst] +${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
    workers.push(await startWorkerProcess(h.services, "A"));
    const count = (where: object) => prisma.orderLink.count({ where: { connectionId: c.id, ...where } });
    let stop = false;
    // scheduler.tick's part: polls (at most one running and one queued) and the recovery sweep.
    const ticker = (async () => {
      let ticks = 0;
      while (!stop) {
        await h.services.jobs.enqueue(pollOrdersJob, { shop: h.shop, connectionId: c.id });
        if (ticks++ % 3 === 0) await scheduleOrderJobs({ services: h.services, connection: await h.reloadConnection(), now: h.services.now() }).catch(() => 0);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    })();

    try {
      // Crash 1: while the poll is accepting (some decided, some sent, some neither).
      await waitFor("acceptance under way", async () => (await count({ acceptanceStatus: { not: "PENDING" } })) >= Math.min(250, N / 4), { timeoutMs: 120_000, intervalMs: 100 });
      phase(`crash 1 (decided ${await count({ acceptanceStatus: { not: "PENDING" } })})`);
      await workers[0]!.kill();
      h.mirakl.control.setFaults({ rate5xx: 0.05, rate429: 0.01, storm429: { forMs: 5_000 } });
      workers.push(await startWorkerProcess(h.services, "B"));

      // Crash 2: in the middle of the imports (orderCreate calls in flight, claims held).
      await waitFor("all accepted", async () => (await count({})) === N && (await count({ acceptanceStatus: "PENDING" })) === 0, { timeoutMs: 120_000, intervalMs: 200 });
      phase(`acceptance done (imported ${await count({ importStatus: "IMPORTED" })})`);
      await waitFor("imports under way", async () => (await count({ importStatus: "IMPORTED" })) >= Math.floor(N * 0.37), { timeoutMs: 180_000, intervalMs: 100 });
      const inFlight = await count({ importStatus: "IMPORTING" });
      phase(`crash 2 (imported ${await count({ importStatus: "IMPORTED" })}, in flight ${inFlight})`);
      await workers[1]!.kill();
      workers.push(await startWorkerProcess(h.services, "C"));
      // Claims left by the dead worker go stale after 5 minutes: let the marketplace clock move on 6
      // (still well inside every order's 30-minute acceptance window).
      h.mirakl.control.advanceClock(6 * MIN);

      const expectedAccepted = created.filter((o) => o.kind === "ok").length + Math.min(25, created.filter((o) => o.kind === "scarce").length);
      await waitFor(
        "every accepted order imported",
        async () => (await count({ importStatus: "IMPORTED" })) >= expectedAccepted && (await count({ importStatus: { in: ["READY", "IMPORTING", "FAILED"] } })) === 0,
        { timeoutMs: 240_000, intervalMs: 500 },
      ).catch(async (err: unknown) => {
        const stuck = await prisma.orderLink.findMany({ where: { connectionId: c.id, importStatus: { notIn: ["IMPORTED", "NOT_IMPORTED"] } }, select: { miraklOrderId: true, miraklState: true, acceptanceStatus: true, importStatus: true, importClaimedAt: true, importAttempts: true, lastError: true, holdReason: true }, take: 20 });
        const byStatus = await prisma.orderLink.groupBy({ by: ["acceptanceStatus", "importStatus", "miraklState"], where: { connectionId: c.id }, _count: true });
        console.log("[burst] stuck:", JSON.stringify(byStatus), JSON.stringify(stuck, null, 1), [...new Set(logs.filter((l) => /"level":"(warn|error)"/.test(l) && !/dead letter/.test(l)).map((l) => l.replace(/"time":"[^"]*",/, "").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>").slice(0, 400)))].slice(-40).join("\n"));
        throw err;
      });
      phase("all imported");
      stop = true;
      await ticker;
      h.mirakl.control.clearFaults();
      console.log(`[burst] in-flight claims at crash 2: ${inFlight}; calls refused after the kills: A ${workers[0]!.interrupted()}, B ${workers[1]!.interrupted()}`);
      expect(workers[0]!.interrupted() + workers[1]!.interrupted()).toBeGreaterThan(0);

      // -- None lost ----------------------------------------------------------------------------------------------
      const links = await prisma.orderLink.findMany({ where: { connectionId: c.id } });
      expect(links).toHaveLength(N);
      const byId = new Map(links.map((l) => [l.miraklOrderId, l]));
      for (const o of created) expect(byId.has(o.id)).toBe(true);

      // -- Acceptance: every acceptable order accepted on Mirakl within its window; the rest held with a Task --------
      const latencies: number[] = [];
      let scarceAccepted = 0;
      for (const o of created) {
        const m = h.mirakl.control.getOrder(o.id)!;
        const link = byId.get(o.id)!;
        if (o.kind === "ok" || (o.kind === "scarce" && link.acceptanceStatus === "ACCEPTED")) {
          expect(link.acceptanceStatus).toBe("ACCEPTED");
          expect(m.order_state).toBe("SHIPPING");
          const decided = Date.parse(String(m.acceptance_decision_date));
          expect(decided - o.createdAt).toBeLessThan(WINDOW);
          latencies.push(decided - o.createdAt);
          if (o.kind === "scarce") scarceAccepted++;
        } else {
          expect(link.acceptanceStatus).toBe("HELD");
          expect(m.order_state).toBe("WAITING_ACCEPTANCE");
        }
      }
      expect(scarceAccepted).toBe(Math.min(25, created.filter((x) => x.kind === "scarce").length));
      const held = links.filter((l) => l.acceptanceStatus === "HELD");
      const tasks = await prisma.task.findMany({ where: { shop: h.shop, kind: "held_order", status: "OPEN" } });
      const taskKeys = new Set(tasks.map((t) => t.dedupeKey));
      for (const l of held) expect(taskKeys.has(`held-order:${c.id}:${l.miraklOrderId}`)).toBe(true);
      expect(held).toHaveLength(N - expectedAccepted);

      // -- Shopify: each accepted order exactly once, with Mirakl's prices, taxes and addresses -------------------
      const shopifyOrders = shopify.orders({ shop: h.shop }).filter((s) => s.tags.includes("mirakl"));
      const bySource = new Map<string, typeof shopifyOrders>();
      for (const s of shopifyOrders) bySource.set(s.sourceIdentifier ?? "", [...(bySource.get(s.sourceIdentifier ?? "") ?? []), s]);
      expect(shopifyOrders).toHaveLength(expectedAccepted);
      for (const l of links.filter((x) => x.acceptanceStatus === "ACCEPTED")) {
        const matches = bySource.get(l.miraklOrderId) ?? [];
        expect(matches, l.miraklOrderId).toHaveLength(1);
        const s = matches[0]!;
        expect(l.shopifyOrderId).toBe(s.id);
        const m = h.mirakl.control.getOrder(l.miraklOrderId)! as unknown as {
          order_lines: Array<{ offer_sku: string; quantity: number; price_unit: number; shipping_price: number; taxes: Array<{ code: string; amount: number }>; shipping_taxes: Array<{ amount: number }> }>;
          customer: { shipping_address: { street_1: string; city: string; zip_code: string; country_iso_code: string; lastname: string } };
        };
        expect(s.lineItems.map((li) => [li.sku, li.quantity, Number(li.unitPrice)])).toEqual(m.order_lines.map((ml) => [ml.offer_sku, ml.quantity, ml.price_unit]));
        expect(s.lineItems.map((li) => li.tax.map((t) => [t.title, Number(t.amount)]))).toEqual(m.order_lines.map((ml) => ml.taxes.map((t) => [t.code, t.amount])));
        const shipping = Math.round(m.order_lines.reduce((a, ml) => a + ml.shipping_price, 0) * 100) / 100;
        expect(Number(s.totals.shipping)).toBe(shipping);
        const a = m.customer.shipping_address;
        expect(s.shippingAddress).toMatchObject({ address1: a.street_1, city: a.city, zip: a.zip_code, lastName: a.lastname, countryCode: ISO3_TO_ISO2[a.country_iso_code] });
        expect(s.taxesIncluded).toBe(true);
      }

      latencies.sort((x, y) => x - y);
      console.log(
        `[burst] ${N} orders: ${expectedAccepted} accepted and imported once each, ${held.length} held with a Task; acceptance latency (Mirakl clock) p50 ${(percentile(latencies, 50) / 1000).toFixed(1)} s, p99 ${(percentile(latencies, 99) / 1000).toFixed(1)} s; ` +
          `Mirakl calls ${Object.values(h.mirakl.control.stats().calls).reduce((x, y) => x + y, 0)}, 5xx served ${h.mirakl.control.stats().served5xx}, 429 served ${h.mirakl.control.stats().served429}; Shopify THROTTLED answers ${shopify.stats().throttled}; orderCreate calls ${shopify.stats().byRootField.orderCreate}`,
      );

      // -- The window closes: Mirakl refuses the held orders by itself; we record it, resolve their Tasks, count them --
      h.mirakl.control.advanceClock(Math.max(0, t0 + WINDOW + MIN - h.mirakl.control.now().getTime()));
      await pollNow(h);
      const refused = await prisma.orderLink.findMany({ where: { connectionId: c.id, acceptanceStatus: "REFUSED" } });
      expect(refused).toHaveLength(held.length);
      for (const r of refused) expect(r.holdReason).toMatch(/^AUTO_REFUSED/);
      expect(await prisma.task.count({ where: { shop: h.shop, kind: "held_order", status: "OPEN" } })).toBe(0);
      const counter = await prisma.task.findFirstOrThrow({ where: { dedupeKey: `auto-refused:${c.id}` } });
      expect(counter.title).toBe(`${held.length} Marketplace order(s) were refused automatically`);
      // Still exactly once in Shopify.
      expect(shopify.orders({ shop: h.shop }).filter((s) => s.tags.includes("mirakl"))).toHaveLength(expectedAccepted);
    } finally {
      stop = true;
      await ticker;
    }
  }, 600_000);
});
