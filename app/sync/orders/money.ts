/**
 * Money as integer cents. Mirakl sends amounts as JSON numbers already rounded to cents per line and per tax
 * (seller-api-notes §5 gotcha 8); summing them as floats would drift, so every sum here is done in cents and
 * printed back as the decimal string Shopify's MoneyInput takes.
 */

/** 12.345 → 1235 (half away from zero; the epsilon absorbs binary noise such as 3.335 * 100 = 333.4999…). */
export function toCents(value: number): number {
  return Math.round((value + Math.sign(value) * 1e-9) * 100);
}

/** 1235 → "12.35", -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export function sumCents(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** A Mirakl amount (number or absent) as a decimal string, e.g. for a metafield. */
export function amountToDecimal(value: number | null | undefined): string {
  return centsToDecimal(toCents(value ?? 0));
}
