import { z } from "zod";

/**
 * The marketplace's SH21 carriers and SH12 shipping types as stored on the connection (read at connect time and
 * refreshed daily by connection.refresh-settings). Read leniently: the JSON is Mirakl's own, a malformed entry is
 * skipped rather than taking the whole fulfilment flow down.
 */
export interface MarketplaceCarrier {
  /** What OR23/ST01 carrier_code takes (SH21 `code`, operator-defined: notes §2.3, gotcha 1). */
  code: string;
  label: string;
  standardCode: string | null;
  /** Template with a {trackingId} placeholder. */
  trackingUrl: string | null;
}

export interface MarketplaceShippingType {
  code: string;
  label: string | null;
  /** OR24 is refused without a tracking number when true (SH12, gotcha 2). */
  mandatoryTracking: boolean;
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v));
const flag = z.union([z.boolean(), z.literal("true"), z.literal("false")]).transform((v) => v === true || v === "true");

const carrierSchema = z.object({
  code: text.pipe(z.string().min(1)),
  label: text.nullish(),
  standard_code: text.nullish(),
  tracking_url: text.nullish(),
});

const shippingTypeSchema = z.object({
  code: text.pipe(z.string().min(1)),
  label: text.nullish(),
  mandatory_tracking: flag.nullish(),
});

export function readCarriers(json: unknown): MarketplaceCarrier[] {
  if (!Array.isArray(json)) return [];
  const out: MarketplaceCarrier[] = [];
  for (const raw of json) {
    const parsed = carrierSchema.safeParse(raw);
    if (!parsed.success) continue;
    const c = parsed.data;
    out.push({ code: c.code, label: c.label ?? c.code, standardCode: c.standard_code ?? null, trackingUrl: c.tracking_url ?? null });
  }
  return out;
}

export function readShippingTypes(json: unknown): MarketplaceShippingType[] {
  if (!Array.isArray(json)) return [];
  const out: MarketplaceShippingType[] = [];
  for (const raw of json) {
    const parsed = shippingTypeSchema.safeParse(raw);
    if (!parsed.success) continue;
    out.push({ code: parsed.data.code, label: parsed.data.label ?? null, mandatoryTracking: parsed.data.mandatory_tracking ?? false });
  }
  return out;
}

/** Whether the order's shipping method requires a tracking number before OR24/ST24 (unknown method: no). */
export function trackingMandatory(shippingTypes: readonly MarketplaceShippingType[], shippingTypeCode: string | null | undefined): boolean {
  if (!shippingTypeCode) return false;
  return shippingTypes.find((t) => t.code === shippingTypeCode)?.mandatoryTracking ?? false;
}
