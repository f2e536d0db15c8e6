/**
 * Money as integer minor units, so totals built from Mirakl's prices are summed exactly and never re-derived
 * through floating point (notes.md §4.1: orderCreate stores the prices and taxes it is given).
 */

/** ISO 4217 currencies whose minor unit is not 2 decimals (the ones a marketplace is likely to meet). */
const DECIMALS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0,
  XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyDecimals(currency: string): number {
  return DECIMALS[currency] ?? 2;
}

export interface Money {
  /** Minor units (cents for EUR). */
  minor: number;
  currency: string;
}

export class MoneyParseError extends Error {}

/** Parses a Decimal string ("12.5", "-3", "1e2" is refused) into minor units, rounding half away from zero. */
export function parseMoney(amount: string | number, currency: string): Money {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || !m[2]) throw new MoneyParseError(`Invalid decimal amount: ${JSON.stringify(amount)}`);
  const decimals = currencyDecimals(currency);
  const frac = m[3] ?? "";
  const kept = (frac + "0".repeat(decimals)).slice(0, decimals);
  let minor = Number(m[2]) * 10 ** decimals + (kept === "" ? 0 : Number(kept));
  const next = frac.charAt(decimals);
  if (next !== "" && Number(next) >= 5) minor += 1;
  return { minor: m[1] ? -minor : minor, currency };
}

export function money(minor: number, currency: string): Money {
  return { minor, currency };
}

export function zero(currency: string): Money {
  return { minor: 0, currency };
}

export function sumMinor(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Pro-rata share, rounded to the minor unit (used for tax of a partial quantity). */
export function prorate(totalMinor: number, part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.round((totalMinor * part) / whole);
}

function fixed(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const base = 10 ** decimals;
  return `${sign}${Math.floor(abs / base)}.${String(abs % base).padStart(decimals, "0")}`;
}

/** GraphQL `Decimal` as Shopify prints it: trailing zeros dropped but one decimal kept ("10.0", "12.34"). */
export function formatDecimal(m: Money): string {
  const text = fixed(m.minor, m.currency);
  if (!text.includes(".")) return `${text}.0`;
  const trimmed = text.replace(/0+$/, "");
  return trimmed.endsWith(".") ? `${trimmed}0` : trimmed;
}

/** REST webhook money: always the currency's decimals ("10.00"), as in Shopify's example payloads (notes.md §3.2). */
export function formatRest(m: Money): string {
  return fixed(m.minor, m.currency);
}
