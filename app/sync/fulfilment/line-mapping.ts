/**
 * Shopify fulfilment lines → Mirakl order lines (pure). Imported orders carry the variant's SKU on each line
 * item; a Mirakl line is matched through SkuMapping (offer SKU → Shopify SKU) or, without a row, an equal SKU,
 * and quantities are allocated line by line (one offer SKU may appear on two Mirakl lines).
 */

export interface MiraklLineInfo {
  orderLineId: string;
  offerSku: string;
  quantity: number;
  state: string;
}

/** FulfillmentLink.lines */
export interface FulfilledLine {
  miraklOrderLineId: string;
  quantity: number;
}

export interface FulfilmentItem {
  sku: string | null;
  quantity: number;
}

/** Lines that leave the order (notes §4.1): they are never shipped. */
const INACTIVE_LINE_STATES = new Set(["REFUSED", "CANCELED"]);

export function isActiveLine(line: MiraklLineInfo): boolean {
  return !INACTIVE_LINE_STATES.has(line.state) && line.quantity > 0;
}

export function mapFulfilmentLines(input: {
  items: readonly FulfilmentItem[];
  miraklLines: readonly MiraklLineInfo[];
  /** offer SKU → Shopify SKU, from SkuMapping; an offer SKU without an entry matches an equal Shopify SKU. */
  shopifySkuOf: (offerSku: string) => string;
  /** Quantities already allocated to other fulfilments of the same order, per Mirakl line. */
  alreadyAllocated?: ReadonlyMap<string, number>;
}): { lines: FulfilledLine[]; unmatched: FulfilmentItem[] } {
  const used = new Map(input.alreadyAllocated ?? []);
  const allocated = new Map<string, number>();
  const unmatched: FulfilmentItem[] = [];
  const candidates = input.miraklLines.filter(isActiveLine);
  for (const item of input.items) {
    if (!item.sku || item.quantity <= 0) {
      if (item.quantity > 0) unmatched.push(item);
      continue;
    }
    const lines = candidates.filter((l) => input.shopifySkuOf(l.offerSku) === item.sku);
    let left = item.quantity;
    // Never more than the line's quantity: units beyond it (an item added in Shopify) are not Mirakl's to ship
    // and are reported back as unmatched for the timeline.
    for (const line of lines) {
      if (left === 0) break;
      const room = line.quantity - (used.get(line.orderLineId) ?? 0);
      if (room <= 0) continue;
      const take = Math.min(room, left);
      used.set(line.orderLineId, (used.get(line.orderLineId) ?? 0) + take);
      allocated.set(line.orderLineId, (allocated.get(line.orderLineId) ?? 0) + take);
      left -= take;
    }
    if (left > 0) unmatched.push({ sku: item.sku, quantity: left });
  }
  const lines = [...allocated.entries()].map(([miraklOrderLineId, quantity]) => ({ miraklOrderLineId, quantity }));
  return { lines, unmatched };
}

export interface ShippingProgress {
  complete: boolean;
  fulfilledUnits: number;
  totalUnits: number;
}

/** How much of the order's active lines the given fulfilments cover (capped per line). */
export function shippingProgress(input: { miraklLines: readonly MiraklLineInfo[]; fulfilments: ReadonlyArray<readonly FulfilledLine[]> }): ShippingProgress {
  const done = new Map<string, number>();
  for (const lines of input.fulfilments) {
    for (const l of lines) done.set(l.miraklOrderLineId, (done.get(l.miraklOrderLineId) ?? 0) + l.quantity);
  }
  let fulfilledUnits = 0;
  let totalUnits = 0;
  for (const line of input.miraklLines.filter(isActiveLine)) {
    totalUnits += line.quantity;
    fulfilledUnits += Math.min(line.quantity, done.get(line.orderLineId) ?? 0);
  }
  return { complete: totalUnits > 0 && fulfilledUnits >= totalUnits, fulfilledUnits, totalUnits };
}

/** Same lines and quantities (order-insensitive): how a shipment found on Mirakl is recognised as ours. */
export function sameLines(a: readonly FulfilledLine[], b: readonly FulfilledLine[]): boolean {
  const key = (lines: readonly FulfilledLine[]) =>
    lines
      .filter((l) => l.quantity > 0)
      .map((l) => `${l.miraklOrderLineId}:${l.quantity}`)
      .sort()
      .join("|");
  return key(a) === key(b);
}

/** FulfillmentLink.lines as stored (Json), read defensively. */
export function readFulfilledLines(json: unknown): FulfilledLine[] {
  if (!Array.isArray(json)) return [];
  const out: FulfilledLine[] = [];
  for (const raw of json) {
    if (!raw || typeof raw !== "object") continue;
    const r = raw as Record<string, unknown>;
    if (typeof r.miraklOrderLineId === "string" && typeof r.quantity === "number" && r.quantity > 0) {
      out.push({ miraklOrderLineId: r.miraklOrderLineId, quantity: r.quantity });
    }
  }
  return out;
}
