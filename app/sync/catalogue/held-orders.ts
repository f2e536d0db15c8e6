/**
 * Which held orders name which SKU. The orders flow records why an order is held in `holdReason` (text naming the
 * SKU) and, for acceptance, per line in `acceptanceDecision` ({ orderLineId, offerSku, quantity, accepted, reason }).
 * Pure, so the mapping screen and its tests agree on what "a mapping would release this order" means.
 */
export interface HeldOrderLike {
  holdReason: string | null;
  acceptanceDecision: unknown;
}

const BEFORE = String.raw`(?:^|[\s,:;"'(\[{=])`;
const AFTER = String.raw`(?=$|[\s,:;"')\]}.])`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True when `text` contains `sku` as a whole token (so SKU "TOP" is not found inside "TOP-M"). */
export function textNamesSku(text: string, sku: string): boolean {
  if (sku === "") return false;
  return new RegExp(`${BEFORE}${escapeRegExp(sku)}${AFTER}`).test(text);
}

/** SKUs of the decision's lines that were not accepted (a line with no `accepted` flag counts as not accepted). */
export function undecidedSkus(decision: unknown): string[] {
  const lines = Array.isArray(decision) ? decision : decision && typeof decision === "object" && Array.isArray((decision as { lines?: unknown }).lines) ? (decision as { lines: unknown[] }).lines : [];
  const out: string[] = [];
  for (const l of lines) {
    if (!l || typeof l !== "object") continue;
    const line = l as { offerSku?: unknown; accepted?: unknown };
    if (typeof line.offerSku === "string" && line.accepted !== true) out.push(line.offerSku);
  }
  return out;
}

/** The candidate SKUs that this held order is waiting on. */
export function skusHoldingOrder(order: HeldOrderLike, candidates: readonly string[]): string[] {
  const fromDecision = new Set(undecidedSkus(order.acceptanceDecision));
  return candidates.filter((sku) => fromDecision.has(sku) || (order.holdReason !== null && textNamesSku(order.holdReason, sku)));
}
