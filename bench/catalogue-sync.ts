/**
 * Catalogue sync and SKU mapping screen at size.
 *
 *   npx tsx bench/catalogue-sync.ts [--offers 5000] [--plan standard] [--loads 20] [--json bench/results/catalogue-sync.json]
 *
 * On the simulators (no faults), a shop whose N Shopify variants carry the same SKUs as the marketplace's N offers
 * (plus 2% offers Shopify does not have):
 *  - "sync via OF21" and "sync via OF52": a first sync from an empty mapping table (read every offer, upsert, auto-match
 *    every SKU against Shopify with findVariantsBySkus), wall time, offers/s, Shopify requests, points served and
 *    THROTTLED answers. The Shopify bucket (Standard: 100 points/s restore) is what bounds the matching; the figure to
 *    compare is the points actually consumed per offer.
 *  - "screen": p50/p95/p99 of one SKU screen page (first page, a search, the last page) over `--loads` loads.
 *  - "csv": exporting the whole mapping and importing 1,000 changed rows (Shopify lookups included).
 */
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { setLogLevel } from "../app/lib/logger";
import { startHarness } from "../test/support/harness";
import { syncCatalogue } from "../app/sync/catalogue/sync-catalogue.server";
import { loadSkuScreen } from "../app/sync/catalogue/sku-screen.server";
import { exportMappingCsv, importMappingCsv } from "../app/sync/catalogue/mapping-import.server";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? String(args[i + 1]) : fallback;
};
const OFFERS = Number(arg("offers", "5000"));
const LOADS = Number(arg("loads", "20"));
const PLAN = arg("plan", "standard") as "standard" | "advanced" | "plus";
const jsonOut = args.includes("--json") ? arg("json", "bench/results/catalogue-sync.json") : undefined;

function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? NaN;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

setLogLevel("error");
const skus = Array.from({ length: OFFERS }, (_, i) => `SKU-${String(i).padStart(6, "0")}`);
const products = [];
for (let i = 0; i < skus.length; i += 50) {
  products.push({ title: `Product ${i / 50}`, variants: skus.slice(i, i + 50).map((sku) => ({ sku, price: 10, inventory: { Warehouse: 5 } })) });
}
const ghosts = Math.ceil(OFFERS * 0.02);
const offers = [...skus.map((sku) => ({ sku, quantity: 5, price: 10, productTitle: `Offer ${sku}` })), ...Array.from({ length: ghosts }, (_, i) => ({ sku: `GHOST-${i}`, quantity: 1, price: 1 }))];

process.stdout.write(`Catalogue sync bench: ${offers.length} offers (${OFFERS} in Shopify, ${ghosts} not), Shopify plan ${PLAN}\n`);
const h = await startHarness({ products, shopifyPlan: PLAN, locations: ["Warehouse"], mirakl: { offers, tenant: { exportDelayMs: 0 } } });
const results: Record<string, unknown> = { offers: offers.length, plan: PLAN };
try {
  const connection = h.connection!;
  for (const method of ["OF21", "OF52"] as const) {
    await h.services.prisma.skuMapping.deleteMany({ where: { connectionId: connection.id } });
    h.shopify.control.resetThrottle({ shop: h.shop });
    const shopBefore = h.shopify.control.stats();
    const miraklBefore = h.mirakl.control.stats().calls;
    const t0 = performance.now();
    const res = await syncCatalogue({ services: h.services, connection, exportThreshold: method === "OF21" ? Number.MAX_SAFE_INTEGER : 0, exportWait: { sleep: (m) => new Promise((r) => setTimeout(r, Math.min(m, 50))) } });
    const elapsed = performance.now() - t0;
    const shopAfter = h.shopify.control.stats();
    const miraklAfter = h.mirakl.control.stats().calls;
    if (res.kind !== "synced") throw new Error(`sync did not run: ${JSON.stringify(res)}`);
    const requests = shopAfter.requests - shopBefore.requests;
    const points = shopAfter.costServed - shopBefore.costServed;
    const miraklCalls = Object.fromEntries(Object.entries(miraklAfter).map(([op, n]) => [op, n - (miraklBefore[op] ?? 0)]).filter(([, n]) => (n as number) > 0));
    const r = {
      method: res.method,
      seconds: elapsed / 1000,
      offersPerSecond: offers.length / (elapsed / 1000),
      matched: res.counts.matched,
      unmatched: res.counts.unmatched,
      shopifyRequests: requests,
      shopifyPoints: points,
      pointsPerOffer: points / offers.length,
      throttled: shopAfter.throttled - shopBefore.throttled,
      miraklCalls,
    };
    results[`sync_${method}`] = r;
    process.stdout.write(
      `sync via ${method}: ${r.seconds.toFixed(1)} s, ${r.offersPerSecond.toFixed(0)} offers/s, matched ${r.matched}, unmatched ${r.unmatched}; ` +
        `Shopify ${requests} requests, ${points} points (${r.pointsPerOffer.toFixed(2)}/offer), ${r.throttled} THROTTLED; Mirakl ${JSON.stringify(miraklCalls)}\n`,
    );
  }

  const base = { services: h.services, shop: h.shop, connectionId: connection.id };
  const lastPage = Math.ceil(offers.length / 50);
  for (const [name, input] of [
    ["first page", { q: "", filter: "all" as const, page: 1 }],
    ["search", { q: "SKU-0042", filter: "all" as const, page: 1 }],
    ["last page", { q: "", filter: "all" as const, page: lastPage }],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const t = performance.now();
      await loadSkuScreen({ ...base, ...input });
      samples.push(performance.now() - t);
    }
    const s = stats(samples);
    results[`screen_${name.replace(/ /g, "_")}`] = s;
    process.stdout.write(`screen ${name}: n=${s.n} p50 ${ms(s.p50)} p95 ${ms(s.p95)} p99 ${ms(s.p99)} max ${ms(s.max)}\n`);
  }

  let t = performance.now();
  let csv = "";
  for await (const chunk of exportMappingCsv(base)) csv += chunk;
  const exportMs = performance.now() - t;
  const lines = csv.trim().split("\r\n");
  const changed = ["offer_sku,shopify_sku,safety_stock_override", ...skus.slice(0, 1000).map((sku, i) => `${sku},${skus[(i + 1) % skus.length]},2`)].join("\r\n");
  t = performance.now();
  const imp = await importMappingCsv({ ...base, text: changed });
  const importMs = performance.now() - t;
  if (imp.kind !== "imported") throw new Error(JSON.stringify(imp));
  results.csv = { exportRows: lines.length - 1, exportBytes: csv.length, exportMs, importRows: 1000, applied: imp.applied, errors: imp.errors.length, importMs };
  process.stdout.write(
    `csv: export ${lines.length - 1} rows (${(csv.length / 1024).toFixed(0)} KB) in ${ms(exportMs)}; import 1000 changed rows in ${ms(importMs)} (${imp.applied} applied, ${imp.errors.length} errors)\n`,
  );
} finally {
  await h.close();
}
if (jsonOut) {
  mkdirSync(path.dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, JSON.stringify(results, null, 2));
}
