import type { MiraklClient, MiraklOffer } from "../../mirakl";
import { AppError } from "../../lib/errors";
import type { Logger } from "../../lib/logger";

/** What the mapping screen keeps of an offer (OF21/OF54). */
export interface OfferSummary {
  sku: string;
  title: string | null;
  quantity: number | null;
}

/**
 * Above this many offers the async export (OF52/OF53/OF54) replaces OF21 paging: OF21 walks 100 offers a call, so
 * 100,000 offers are 1,000 calls, where the export is a handful (seller-api-notes §1.5 "Async exports for bulk").
 */
export const DEFAULT_EXPORT_THRESHOLD = 2_000;

/** How the export is awaited. OF53 may be polled every 10 s at most (notes §1.9); the client paces the calls. */
export interface ExportWait {
  /** Give up (retryable) after this long; a large export on a busy tenant takes minutes. */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

const defaultWait: ExportWait = {
  timeoutMs: 30 * 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

export type OfferSource = { method: "OF21" | "OF52"; totalCount: number; batches: AsyncGenerator<OfferSummary[], void, undefined> };

/**
 * Every offer of the shop, in batches. OF21 first with max=1 to learn `total_count`; small catalogues are read with
 * OF21 (offers in every state: an out-of-stock offer still needs a mapping), large ones with a full OF52 export
 * including inactive offers (a full export is allowed once a day, which is the schedule of this sync).
 */
export async function readOffers({
  client,
  exportThreshold = DEFAULT_EXPORT_THRESHOLD,
  wait = defaultWait,
  log,
}: {
  client: MiraklClient;
  exportThreshold?: number;
  wait?: Partial<ExportWait>;
  log?: Logger;
}): Promise<OfferSource> {
  const probe = await client.listOffers({ max: 1 });
  const totalCount = probe.totalCount;
  if (totalCount <= exportThreshold) return { method: "OF21", totalCount, batches: viaList(client) };
  log?.info("large catalogue: reading offers with the OF52 export", { totalCount, exportThreshold });
  return { method: "OF52", totalCount, batches: viaExport(client, { ...defaultWait, ...wait }) };
}

async function* viaList(client: MiraklClient): AsyncGenerator<OfferSummary[], void, undefined> {
  let batch: OfferSummary[] = [];
  for await (const offer of client.iterateOffers({ max: 100 })) {
    batch.push(summarise(offer));
    if (batch.length >= 500) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* viaExport(client: MiraklClient, wait: ExportWait): AsyncGenerator<OfferSummary[], void, undefined> {
  // items_per_chunk 10,000 is the production minimum (spec: 10,000 to 1,000,000) and keeps one chunk in memory small.
  const { trackingId } = await client.startOfferExport({ exportType: "application/json", includeInactiveOffers: true, itemsPerChunk: 10_000 });
  const deadline = wait.now() + wait.timeoutMs;
  let urls: string[] = [];
  for (;;) {
    const status = await client.getOfferExportStatus({ trackingId });
    if (status.status === "COMPLETED") {
      urls = status.urls;
      break;
    }
    if (status.status === "FAILED" || status.status === "CANCELED") {
      throw new AppError(`Mirakl's offer export ${trackingId} ended ${status.status}${status.error?.detail ? `: ${status.error.detail}` : ""}`, {
        code: "OFFER_EXPORT_FAILED",
        retryable: true,
        details: { trackingId, status: status.status },
      });
    }
    if (wait.now() >= deadline) {
      throw new AppError(`Mirakl's offer export ${trackingId} was still ${status.status} after ${Math.round(wait.timeoutMs / 60_000)} min`, {
        code: "OFFER_EXPORT_TIMEOUT",
        retryable: true,
        details: { trackingId },
      });
    }
    // The client already spaces OF53 calls 10 s apart; this only avoids a busy loop under a test limiter.
    await wait.sleep(1_000);
  }
  for (const url of urls) {
    const offers = await client.downloadOfferExportChunk({ url });
    // A full export (no last_request_date) lists no deleted offers, but be safe: a deleted offer needs no mapping.
    const live = offers.filter((o) => o.deleted !== true).map(summarise);
    for (let i = 0; i < live.length; i += 1_000) yield live.slice(i, i + 1_000);
  }
}

function summarise(offer: MiraklOffer): OfferSummary {
  const quantity = typeof offer.quantity === "number" && Number.isFinite(offer.quantity) ? Math.trunc(offer.quantity) : null;
  return { sku: offer.shop_sku, title: offer.product_title ?? null, quantity };
}
