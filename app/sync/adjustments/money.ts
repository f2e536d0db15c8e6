/**
 * Money arithmetic for amounts sent to Mirakl (OR28/OR30). Everything is done in integer cents: Mirakl rounds
 * every line and every tax to cents (notes §5 gotcha 8), and a float sum of 0.1 + 0.2 must never decide whether a
 * refund exceeds what is left on a line (Mirakl answers 400 when it does).
 */

/** A per-code tax amount, as OR28/OR30 take it (`taxes[{code, amount}]`). */
export interface TaxAmount {
  code: string;
  amount: number;
}

export function toCents(value: number): number {
  // The epsilon makes 1.005 (stored as 1.00499999…) round like a person would.
  return Math.round((value + Math.sign(value) * 1e-9) * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

export function roundCents(value: number): number {
  return fromCents(toCents(value));
}

export function sumAmounts(values: ReadonlyArray<number>): number {
  return fromCents(values.reduce((s, v) => s + toCents(v), 0));
}

/**
 * `part/whole` of `total`, rounded to cents, never above `total` and never below zero. This is how a per-unit
 * amount is taken "from the line's amounts": Mirakl gives line totals (price, taxes[].amount) already rounded,
 * so units × (total / quantity) would drift; scaling the total keeps every share inside the line.
 */
export function proRata(total: number, part: number, whole: number): number {
  if (whole <= 0 || part <= 0 || total <= 0) return 0;
  if (part >= whole) return roundCents(total);
  const cents = Math.round((toCents(total) * part) / whole);
  return fromCents(Math.min(Math.max(cents, 0), toCents(total)));
}

/** Adds per-code amounts (codes kept in first-seen order). */
export function addTaxes(...lists: ReadonlyArray<ReadonlyArray<TaxAmount>>): TaxAmount[] {
  const out = new Map<string, number>();
  for (const list of lists) for (const t of list) out.set(t.code, (out.get(t.code) ?? 0) + toCents(t.amount));
  return [...out].map(([code, cents]) => ({ code, amount: fromCents(cents) }));
}

/** `from` minus `minus`, per code, floored at zero (what is left of each tax on a line). */
export function subtractTaxes(from: ReadonlyArray<TaxAmount>, minus: ReadonlyArray<TaxAmount>): TaxAmount[] {
  const taken = new Map<string, number>();
  for (const t of minus) taken.set(t.code, (taken.get(t.code) ?? 0) + toCents(t.amount));
  return from.map((t) => ({ code: t.code, amount: fromCents(Math.max(0, toCents(t.amount) - (taken.get(t.code) ?? 0))) }));
}

/** Each tax scaled by part/whole (pro rata, rounded per code, never above the tax itself). */
export function scaleTaxes(taxes: ReadonlyArray<TaxAmount>, part: number, whole: number): TaxAmount[] {
  return taxes.map((t) => ({ code: t.code, amount: proRata(t.amount, part, whole) }));
}

/** Each tax capped at what is left of it. */
export function capTaxes(taxes: ReadonlyArray<TaxAmount>, left: ReadonlyArray<TaxAmount>): TaxAmount[] {
  return taxes.map((t) => {
    const max = left.find((l) => l.code === t.code)?.amount ?? 0;
    return { code: t.code, amount: Math.min(roundCents(t.amount), roundCents(max)) };
  });
}

export function taxTotal(taxes: ReadonlyArray<TaxAmount>): number {
  return sumAmounts(taxes.map((t) => t.amount));
}

/**
 * Splits `total` across weights (largest remainder), so the parts add up to the total exactly and each part is
 * at most its weight's share rounded up by one cent. Used to spread a Shopify shipping refund over Mirakl lines.
 */
export function splitByWeights(total: number, weights: ReadonlyArray<number>): number[] {
  const totalCents = Math.max(0, toCents(total));
  const w = weights.map((x) => Math.max(0, x));
  const sum = w.reduce((a, b) => a + b, 0);
  if (sum <= 0 || totalCents === 0) return w.map(() => 0);
  const exact = w.map((x) => (totalCents * x) / sum);
  const floors = exact.map(Math.floor);
  let left = totalCents - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  return floors.map(fromCents);
}

export function formatAmount(value: number): string {
  return roundCents(value).toFixed(2);
}
