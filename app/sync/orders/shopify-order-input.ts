/**
 * The orderCreate input for a Mirakl order (pure). What the customer paid on the marketplace is the truth:
 * Mirakl's own unit prices, shipping and tax amounts go to Shopify as given, in the order's tax mode, and are
 * never recomputed from rates (seller-api-notes §5 gotcha 8; Shopify notes §4.1: tax lines keep their amount).
 */
import type { MiraklAddress, MiraklOrder, MiraklOrderLine, MiraklTax } from "../../mirakl";
import { miraklOrderTag, type MailingAddressInput, type MoneyBagInput, type OrderCreateInput, type OrderCreateTaxLineInput, type OrderMetafieldInput, type ShopifyGid } from "../../shopify";
import { toShopifyCountry } from "./country-codes";
import { centsToDecimal, sumCents, toCents } from "./money";

/** Our order metafields live here; `order_id` has a unique-values definition (the duplicate guard). */
export const MIRAKL_METAFIELD_NAMESPACE = "mirakl";
export const MIRAKL_ORDER_ID_KEY = "order_id";
/** Line item property tying a Shopify line to its Mirakl order line (underscore: hidden from the buyer). */
export const MIRAKL_LINE_PROPERTY = "_mirakl_order_line_id";

export type CustomerPolicy = "NOTIFICATION_EMAIL" | "SHARED_CUSTOMER" | "NO_CUSTOMER";

export interface ImportLine {
  line: MiraklOrderLine;
  variantId: ShopifyGid;
}

export interface BuildOrderInputArgs {
  order: MiraklOrder;
  /** The lines to import (active lines, in Mirakl's order) with the variant each resolved to. */
  lines: readonly ImportLine[];
  marketplaceName: string;
  /** The connection's tax mode and currency, used only when the order does not carry its own. */
  defaultTaxMode: string;
  defaultCurrency: string | null;
  customerPolicy: string;
  sharedCustomerEmail: string | null;
  /** processedAt may not be in the future for Shopify (PROCESSED_AT_INVALID), whatever Mirakl's clock says. */
  now: Date;
}

export interface BuiltOrderInput {
  input: OrderCreateInput;
  currency: string;
  taxesIncluded: boolean;
  /** What Shopify will compute from the input: Σ unit × quantity + shipping (+ taxes when excluded). */
  shopifyTotalCents: number;
  /** What the marketplace collected for these lines: Σ line total (+ taxes when excluded). The transaction amount. */
  collectedCents: number;
  /** collected − Shopify's total: unit prices rounded to cents can leave a cent or so (tolerated, recorded). */
  differenceCents: number;
  /** Rounding we accept without asking anyone: one cent per line and one for shipping. */
  toleranceCents: number;
  commissionCents: number;
  netCents: number;
}

const TAG_MAX = 40;

/** Shopify tags: no commas (the separator), at most 40 characters. */
export function cleanTag(value: string): string {
  return value.replace(/,/g, " ").replace(/\s+/g, " ").trim().slice(0, TAG_MAX);
}

/** A Mirakl percentage (20, "5.5") as Shopify's decimal rate ("0.2", "0.055"). */
export function toShopifyRate(percent: number): string {
  return String(Number((percent / 100).toFixed(6)));
}

function money(cents: number, currency: string): MoneyBagInput {
  return { shopMoney: { amount: centsToDecimal(cents), currencyCode: currency } };
}

/**
 * Shopify needs a rate on every tax line. Mirakl sends one on current tenants; when it does not, the effective
 * rate of the amount it charged is the only honest figure (the amount itself is still Mirakl's).
 */
function rateOf(tax: MiraklTax, baseCents: number, taxesIncluded: boolean): string {
  if (typeof tax.rate === "number" && Number.isFinite(tax.rate)) return toShopifyRate(tax.rate);
  const amount = toCents(tax.amount ?? 0);
  const base = taxesIncluded ? baseCents - amount : baseCents;
  return base > 0 ? String(Number((amount / base).toFixed(4))) : "0";
}

function taxLines(taxes: readonly MiraklTax[], baseCents: number, currency: string, taxesIncluded: boolean): OrderCreateTaxLineInput[] {
  return taxes.map((t) => ({
    title: t.code,
    rate: rateOf(t, baseCents, taxesIncluded),
    // Without an amount Shopify derives it from the rate: only then, never as a replacement for Mirakl's figure.
    ...(t.amount === null || t.amount === undefined ? {} : { priceSet: money(toCents(t.amount), currency) }),
  }));
}

/** Shipping taxes of all lines merged per tax code (one Shopify shipping line carries the order's shipping). */
function mergeTaxes(taxes: readonly MiraklTax[]): MiraklTax[] {
  const byCode = new Map<string, { code: string; cents: number; rate: number | null | undefined; hasAmount: boolean }>();
  for (const t of taxes) {
    const cur = byCode.get(t.code) ?? { code: t.code, cents: 0, rate: t.rate, hasAmount: false };
    if (t.amount !== null && t.amount !== undefined) {
      cur.cents += toCents(t.amount);
      cur.hasAmount = true;
    }
    cur.rate ??= t.rate;
    byCode.set(t.code, cur);
  }
  return [...byCode.values()].map((v) => ({ code: v.code, rate: v.rate, amount: v.hasAmount ? v.cents / 100 : null }));
}

function address(a: MiraklAddress | null | undefined): MailingAddressInput | undefined {
  if (!a) return undefined;
  const country = toShopifyCountry(a.country_iso_code ?? a.country);
  const state = (a.state ?? "").trim();
  // Shopify wants a province *code*; free-text regions ("Bayern") are left out rather than rejected.
  const provinceCode = country?.provinceCode ?? (/^[A-Z0-9]{1,3}$/.test(state) ? state : undefined);
  const company = [a.company, a.company_2].filter((s): s is string => Boolean(s && s.trim())).join(", ");
  const out: MailingAddressInput = {
    firstName: a.firstname ?? undefined,
    lastName: a.lastname ?? undefined,
    company: company || undefined,
    address1: a.street_1 ?? undefined,
    address2: a.street_2 || undefined,
    city: a.city ?? undefined,
    zip: a.zip_code ?? undefined,
    countryCode: country?.countryCode,
    provinceCode,
    phone: a.phone ?? a.phone_secondary ?? undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined && v !== "")) as MailingAddressInput;
}

function isoDay(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

export function buildOrderInput(args: BuildOrderInputArgs): BuiltOrderInput {
  const { order, lines } = args;
  const currency = order.currency_iso_code ?? args.defaultCurrency ?? "EUR";
  const taxesIncluded = (order.order_tax_mode ?? args.defaultTaxMode) === "TAX_INCLUDED";
  const marketplace = args.marketplaceName;

  const lineItems = lines.map(({ line, variantId }) => {
    const linePriceCents = toCents(line.price);
    // Mirakl's own unit price (not the catalogue's); a unit price with more than two decimals is rounded to
    // the currency, which is where a cent of difference with Mirakl's line price can come from.
    const unitCents = toCents(line.price_unit ?? line.price / line.quantity);
    return {
      variantId,
      quantity: line.quantity,
      priceSet: money(unitCents, currency),
      requiresShipping: true,
      taxLines: taxLines(line.taxes, linePriceCents, currency, taxesIncluded),
      properties: [{ name: MIRAKL_LINE_PROPERTY, value: line.order_line_id }],
    };
  });

  const subtotalCents = sumCents(lines.map(({ line }) => toCents(line.price_unit ?? line.price / line.quantity) * line.quantity));
  const shippingCents = sumCents(lines.map(({ line }) => toCents(line.shipping_price ?? 0)));
  const lineTaxCents = sumCents(lines.flatMap(({ line }) => line.taxes.map((t) => toCents(t.amount ?? 0))));
  const shippingTaxes = mergeTaxes(lines.flatMap(({ line }) => line.shipping_taxes));
  const shippingTaxCents = sumCents(shippingTaxes.map((t) => toCents(t.amount ?? 0)));
  const taxCents = lineTaxCents + shippingTaxCents;
  const shopifyTotalCents = subtotalCents + shippingCents + (taxesIncluded ? 0 : taxCents);

  // What the marketplace collected for the lines imported (refused and cancelled lines left out: gotcha 4).
  const linesTotalCents = sumCents(lines.map(({ line }) => toCents(line.total_price ?? line.price + (line.shipping_price ?? 0))));
  const collectedCents = linesTotalCents + (taxesIncluded ? 0 : taxCents);
  const commissionCents = sumCents(lines.map(({ line }) => toCents(line.total_commission ?? 0)));
  const netCents = linesTotalCents - commissionCents;

  const shippingLines =
    shippingCents > 0 || order.shipping_type_code
      ? [
          {
            title: order.shipping_type_label ?? order.shipping_type_code ?? "Shipping",
            code: order.shipping_type_code ?? undefined,
            source: "mirakl",
            priceSet: money(shippingCents, currency),
            taxLines: taxLines(shippingTaxes, shippingCents, currency, taxesIncluded),
          },
        ]
      : [];

  const shippingAddress = address(order.customer?.shipping_address);
  const billingAddress = address(order.customer?.billing_address) ?? shippingAddress;

  const tags = ["mirakl", cleanTag(marketplace), miraklOrderTag(order.order_id)];
  const shipBy = isoDay(order.shipping_deadline);
  if (shipBy) tags.push(`ship-by-${shipBy}`);

  const metafields: OrderMetafieldInput[] = [
    { namespace: MIRAKL_METAFIELD_NAMESPACE, key: MIRAKL_ORDER_ID_KEY, type: "single_line_text_field", value: order.order_id },
    { namespace: MIRAKL_METAFIELD_NAMESPACE, key: "commercial_id", type: "single_line_text_field", value: order.commercial_id ?? order.order_id },
    { namespace: MIRAKL_METAFIELD_NAMESPACE, key: "marketplace", type: "single_line_text_field", value: marketplace },
    { namespace: MIRAKL_METAFIELD_NAMESPACE, key: "commission_total", type: "number_decimal", value: centsToDecimal(commissionCents) },
    { namespace: MIRAKL_METAFIELD_NAMESPACE, key: "net_amount", type: "number_decimal", value: centsToDecimal(netCents) },
    { namespace: MIRAKL_METAFIELD_NAMESPACE, key: "order_tax_mode", type: "single_line_text_field", value: taxesIncluded ? "TAX_INCLUDED" : "TAX_EXCLUDED" },
  ];

  const created = Date.parse(order.created_date ?? "");
  const processedAt = new Date(Number.isNaN(created) ? args.now.getTime() : Math.min(created, args.now.getTime())).toISOString();

  const noteParts = [`${marketplace} order ${order.order_id}`];
  const instructions = order.customer?.shipping_address?.additional_info;
  if (instructions) noteParts.push(`Delivery instructions: ${instructions}`);

  const input: OrderCreateInput = {
    currency,
    lineItems,
    shippingLines,
    ...(shippingAddress ? { shippingAddress } : {}),
    ...(billingAddress ? { billingAddress } : {}),
    taxesIncluded,
    tags,
    note: noteParts.join(". "),
    metafields,
    sourceIdentifier: order.order_id,
    processedAt,
    // The marketplace collected the money: the order is paid, through a gateway named after it.
    financialStatus: "PAID",
    transactions: [{ kind: "SALE", status: "SUCCESS", gateway: `Mirakl: ${marketplace}`, amountSet: money(collectedCents, currency), processedAt }],
    ...customerFields(args, order),
  };

  return {
    input,
    currency,
    taxesIncluded,
    shopifyTotalCents,
    collectedCents,
    differenceCents: collectedCents - shopifyTotalCents,
    toleranceCents: lines.length + 1,
    commissionCents,
    netCents,
  };
}

/**
 * Sellers only get Mirakl's relay address (gotcha 9): it may become the Shopify customer, never opted in to
 * marketing; or one shared "marketplace customer" for all orders; or no customer at all.
 */
function customerFields(args: BuildOrderInputArgs, order: MiraklOrder): Pick<OrderCreateInput, "customer" | "email" | "buyerAcceptsMarketing"> {
  const policy = args.customerPolicy as CustomerPolicy;
  const first = order.customer?.firstname ?? order.customer?.shipping_address?.firstname ?? undefined;
  const last = order.customer?.lastname ?? order.customer?.shipping_address?.lastname ?? undefined;
  if (policy === "SHARED_CUSTOMER" && args.sharedCustomerEmail) {
    return {
      email: args.sharedCustomerEmail,
      buyerAcceptsMarketing: false,
      customer: { toUpsert: { email: args.sharedCustomerEmail, firstName: args.marketplaceName, lastName: "customer", tags: ["mirakl"] } },
    };
  }
  if (policy === "NOTIFICATION_EMAIL" && order.customer_notification_email) {
    return {
      email: order.customer_notification_email,
      buyerAcceptsMarketing: false,
      customer: { toUpsert: { email: order.customer_notification_email, firstName: first, lastName: last, tags: ["mirakl"] } },
    };
  }
  return { buyerAcceptsMarketing: false };
}
