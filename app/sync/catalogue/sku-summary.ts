/**
 * The SKU mapping screen's summary and tab counts, built from one set of live counts so they always agree with each
 * other and with what each tab lists (the stored "Offers synced: …" message is a snapshot of the last sync and goes
 * stale as soon as an order brings a new SKU or someone maps one). No server code here.
 */
import type { SkuFilter } from "./sku-filters";

export interface SkuCounts {
  matched: number;
  unmatched: number;
  ambiguous: number;
  ignored: number;
  total: number;
  holdingOrders: number;
}

/** How many rows each tab lists (without a search), in the same terms as the filters in loadSkuScreen. */
export function skuTabCounts(c: SkuCounts): Record<SkuFilter, number> {
  return { all: c.total, needs_mapping: c.unmatched + c.ambiguous, holding_orders: c.holdingOrders, matched: c.matched, ignored: c.ignored };
}

/** "Needs mapping (1)": the tab's label with the number of rows it lists. */
export function skuTabLabel(label: string, count: number): string {
  return `${label} (${count})`;
}

/**
 * The line under the badges: when offers were last read and how many, plus the rows that sync did not read (so
 * "8 read" next to 9 rows explains itself). Mapping counts are left to the badges and tabs, which are live.
 */
export function skuSyncLine(
  sync: { lastSyncedAt: string | null; offersRead: number | null; notInLastSync: number },
  connectionName: string,
  format: (d: string) => string,
): string {
  if (!sync.lastSyncedAt) return `Offers have not been read from ${connectionName} yet.`;
  const read = sync.offersRead === null ? "" : `: ${offers(sync.offersRead)} read from ${connectionName}`;
  const extra =
    sync.notInLastSync > 0
      ? ` ${offers(sync.notInLastSync)} ${sync.notInLastSync === 1 ? "was" : "were"} not in that read (seen only on an order since, or no longer listed on ${connectionName}).`
      : "";
  return `Offers last synced ${format(sync.lastSyncedAt)}${read}.${extra}`;
}

function offers(n: number): string {
  return `${n} offer${n === 1 ? "" : "s"}`;
}
