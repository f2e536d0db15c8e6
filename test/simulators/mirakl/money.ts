/**
 * Money arithmetic in the way Mirakl presents it: amounts rounded to cents per line and per tax
 * (notes §5 gotcha 8: rounding per line is why a recomputed rate comes out as 20.97 % instead of 21 %).
 */
import type { AmountTax, TaxMode } from "./types";

export function roundCents(value: number): number {
  return Math.round((value + Math.sign(value) * 1e-9) * 100) / 100;
}

/** Tax contained in (TAX_INCLUDED) or added to (TAX_EXCLUDED) an amount. */
export function taxOn({ amount, rate, mode }: { amount: number; rate: number; mode: TaxMode }): number {
  if (rate === 0 || amount === 0) return 0;
  return mode === "TAX_INCLUDED" ? roundCents((amount * rate) / (100 + rate)) : roundCents((amount * rate) / 100);
}

export function sumAmounts(items: ReadonlyArray<{ amount: number }>): number {
  return roundCents(items.reduce((s, t) => s + t.amount, 0));
}

/** Part of each tax proportional to `share` (0..1) of the taxed amount. */
export function proportionalTaxes({ taxes, share }: { taxes: readonly AmountTax[]; share: number }): AmountTax[] {
  return taxes.map((t) => ({ code: t.code, rate: t.rate, amount: roundCents(t.amount * share) }));
}

/** Subtract per-code amounts (refunded/canceled taxes) from a tax list. */
export function subtractTaxes({ from, minus }: { from: readonly AmountTax[]; minus: readonly AmountTax[] }): AmountTax[] {
  return from.map((t) => ({
    ...t,
    amount: roundCents(t.amount - minus.filter((m) => m.code === t.code).reduce((s, m) => s + m.amount, 0)),
  }));
}

export function isoDate(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
