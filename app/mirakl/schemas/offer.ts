/** Offers: OF21 (offset list), OF52/OF53/OF54 (async export; seller-api-notes §2.4). */
import { z } from "zod";
import { dateTime, flag, id, list, loose, num, text } from "./primitives";

/** One offer as OF21 lists it and as an OF54 JSON chunk carries it (OF54 adds `deleted` for differential exports). */
export const miraklOfferSchema = loose({
  offer_id: num.nullish(),
  // The seller's SKU: the key to match a Shopify variant.
  shop_sku: id,
  product_sku: id.nullish(),
  product_title: text.nullish(),
  quantity: num.nullish(),
  price: num.nullish(),
  total_price: num.nullish(),
  currency_iso_code: text.nullish(),
  state_code: text.nullish(),
  active: flag.nullish(),
  deleted: flag.nullish(),
  leadtime_to_ship: num.nullish(),
  channels: list(text),
  last_updated: dateTime.nullish(),
});

export const miraklOfferPageSchema = loose({
  offers: z.array(miraklOfferSchema),
  total_count: num,
});

export const miraklOfferExportStartSchema = loose({ tracking_id: id });

export const miraklOfferExportStatusSchema = loose({
  // PENDING | COMPLETED | FAILED (and whatever comes next).
  status: text,
  last_updated: dateTime.nullish(),
  urls: list(text),
  error: loose({ code: text.nullish(), detail: text.nullish() }).nullish(),
});

export const miraklOfferChunkSchema = z.array(miraklOfferSchema);

export type MiraklOffer = z.output<typeof miraklOfferSchema>;
export type OfferExportStatus = z.output<typeof miraklOfferExportStatusSchema>;
