/**
 * Which dirty SKUs go into a stock file. A line is sent only when what the marketplace should show differs from
 * what Mirakl was last told (pushedQty): our own pushes echo back as inventory webhooks (shopify notes §3.4) and
 * would otherwise loop, and an unchanged quantity costs a Mirakl import for nothing.
 */
export interface DueSku {
  offerSku: string;
  pushedQty: number | null;
}

export interface Expected {
  /** false: the merchant chose to ignore this offer (mapping IGNORED): we never touch its stock. */
  managed: boolean;
  quantity: number;
}

export interface StockLineSelection {
  lines: { offerSku: string; quantity: number }[];
  /** Dirty, recomputed, and equal to what Mirakl was last told: cleared without a call. */
  unchanged: { offerSku: string; quantity: number }[];
  /** Dirty but not ours to push (ignored offers): cleared without a call. */
  unmanaged: string[];
}

export function selectStockLines({ due, expected, maxLines }: { due: readonly DueSku[]; expected: ReadonlyMap<string, Expected>; maxLines: number }): StockLineSelection {
  const out: StockLineSelection = { lines: [], unchanged: [], unmanaged: [] };
  for (const row of due) {
    const e = expected.get(row.offerSku);
    if (!e || !e.managed) {
      out.unmanaged.push(row.offerSku);
      continue;
    }
    const quantity = Math.max(0, Math.trunc(e.quantity));
    if (row.pushedQty !== null && row.pushedQty === quantity) out.unchanged.push({ offerSku: row.offerSku, quantity });
    else if (out.lines.length < maxLines) out.lines.push({ offerSku: row.offerSku, quantity });
    // Beyond maxLines the SKU simply stays dirty for the next file.
  }
  return out;
}
