import type { PrismaClient } from "@prisma/client";
import { AppError } from "../../lib/errors";
import type { MiraklClient, MiraklOffer } from "../../mirakl";
import type { MiraklReadPlan } from "./read-plan";
import { VERSION_RULE } from "./dirty.server";
import { chunked, iso, ROWS_PER_STATEMENT, utc } from "./sql";

/** What `lastError` says for a mapped SKU that has no offer on the marketplace. */
export const NOT_ON_MIRAKL = "No offer with this SKU on the marketplace";
/** OF54 chunk size: the smallest Mirakl allows (10,000), so one parsed chunk stays a few MB. */
export const EXPORT_ITEMS_PER_CHUNK = 10_000;
/** An OF52 export that has not finished after this long is abandoned (the job retries later). */
export const EXPORT_TIMEOUT_MS = 30 * 60_000;

export interface MiraklReadResult {
  mode: MiraklReadPlan["kind"];
  /** The quantities read are true as of this moment (the export request or the first OF21 page). */
  asOf: Date;
  calls: number;
  offersSeen: number;
  /** Offers not written: no mapping of this connection manages their SKU, or we hold a newer quantity. */
  notApplied: number;
  deletedOffers: number;
}

/**
 * Reads the marketplace's offer quantities into the copy we keep (InventorySku.miraklQty, miraklSeenAt), for the
 * SKUs this connection manages. OF21 pages for small catalogues; otherwise the OF52 export (JSON chunks, inactive
 * offers included in a full export, since an offer at 0 is inactive and is exactly the one we may need to restock),
 * polled with OF53 and downloaded with OF54, one chunk at a time. A quantity never overwrites one we know to be
 * newer (an import that completed after the export was requested).
 */
export async function readMiraklOffers({
  prisma,
  client,
  connectionId,
  plan,
  now,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
}: {
  prisma: PrismaClient;
  client: MiraklClient;
  connectionId: string;
  plan: MiraklReadPlan;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}): Promise<MiraklReadResult> {
  const result: MiraklReadResult = { mode: plan.kind, asOf: now(), calls: 0, offersSeen: 0, notApplied: 0, deletedOffers: 0 };
  const apply = async (offers: MiraklOffer[]) => {
    const seen = await writeMirror({ prisma, connectionId, offers, asOf: result.asOf });
    result.offersSeen += offers.length;
    result.deletedOffers += offers.filter((o) => o.deleted === true).length;
    result.notApplied += offers.length - seen;
  };

  if (plan.kind === "list") {
    let batch: MiraklOffer[] = [];
    let n = 0;
    for await (const offer of client.iterateOffers({ max: 100 })) {
      batch.push(offer);
      n++;
      if (batch.length >= ROWS_PER_STATEMENT) {
        await apply(batch);
        batch = [];
      }
    }
    await apply(batch);
    // OF21 is offset-paginated by 100 and stops at total_count (app/mirakl/pagination.ts).
    result.calls += Math.max(1, Math.ceil(n / 100));
    return result;
  }

  const { trackingId } = await client.startOfferExport(
    plan.kind === "full-export"
      ? { exportType: "application/json", includeInactiveOffers: true, itemsPerChunk: EXPORT_ITEMS_PER_CHUNK }
      : // include_inactive_offers may not be sent with last_request_date (OF52: "the call fails").
        { exportType: "application/json", lastRequestDate: plan.since, itemsPerChunk: EXPORT_ITEMS_PER_CHUNK },
  );
  result.calls++;
  const deadline = Date.now() + EXPORT_TIMEOUT_MS;
  let urls: string[] = [];
  for (;;) {
    const status = await client.getOfferExportStatus(trackingId);
    result.calls++;
    const state = status.status.toUpperCase();
    if (state === "COMPLETED") {
      urls = status.urls;
      break;
    }
    if (state === "FAILED" || Date.now() > deadline) {
      throw new AppError(`Mirakl's offer export ${trackingId} ${state === "FAILED" ? `failed (${status.error?.code ?? ""} ${status.error?.detail ?? ""})`.trim() : "did not finish in time"}`, {
        code: "MIRAKL_EXPORT_FAILED",
        retryable: true,
        details: { trackingId },
      });
    }
    // OF53: "every 10 seconds" at most; the client's limiter knows when the next call may go.
    await sleep(Math.max(1_000, client.nextAllowedAt("OF53") - Date.now()));
  }
  for (const url of urls) {
    const offers = await client.downloadOfferExportChunk(url);
    result.calls++;
    for (const part of chunked(offers, ROWS_PER_STATEMENT)) await apply(part);
  }
  return result;
}

/**
 * Upserts Mirakl's quantities for the offers this connection manages; returns how many rows it wrote.
 * Deleted offers (differential exports) lose their quantity and are flagged as not on the marketplace.
 */
async function writeMirror({ prisma, connectionId, offers, asOf }: { prisma: PrismaClient; connectionId: string; offers: MiraklOffer[]; asOf: Date }): Promise<number> {
  if (offers.length === 0) return 0;
  const rows = offers.map((o) => ({ sku: o.shop_sku, qty: o.deleted === true ? null : Math.max(0, Math.trunc(o.quantity ?? 0)), deleted: o.deleted === true }));
  const unique = [...new Map(rows.map((r) => [r.sku, r])).values()];
  return prisma.$executeRawUnsafe(
    `INSERT INTO "InventorySku" ("id", "connectionId", "offerSku", "miraklQty", "miraklSeenAt", "lastError", "updatedAt")
     SELECT gen_random_uuid()::text, $1, v.sku, v.qty, ${utc("$3")}, CASE WHEN v.deleted THEN $4 ELSE NULL END, ${utc("$3")}
     FROM jsonb_to_recordset($2::jsonb) AS v(sku text, qty int, deleted boolean)
     JOIN "SkuMapping" m ON m."connectionId" = $1 AND m."offerSku" = v.sku AND m."matchStatus" <> 'IGNORED'
     ON CONFLICT ("connectionId", "offerSku") DO UPDATE SET
       "miraklQty" = EXCLUDED."miraklQty", "miraklSeenAt" = EXCLUDED."miraklSeenAt",
       "lastError" = CASE WHEN EXCLUDED."lastError" IS NOT NULL THEN EXCLUDED."lastError"
                          WHEN "InventorySku"."lastError" = $4 THEN NULL ELSE "InventorySku"."lastError" END,
       "updatedAt" = ${VERSION_RULE}
     WHERE "InventorySku"."miraklSeenAt" IS NULL OR "InventorySku"."miraklSeenAt" <= EXCLUDED."miraklSeenAt"`,
    connectionId,
    JSON.stringify(unique),
    iso(asOf),
    NOT_ON_MIRAKL,
  );
}
