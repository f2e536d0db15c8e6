/**
 * OF52/OF53/OF54 asynchronous offer exports: a tracking id at once, PENDING until the (simulated) export job
 * finishes, then COMPLETED with download URLs served by the simulator itself. The snapshot is taken when the job
 * completes, like a real export; a differential export (last_request_date) includes deleted offers.
 */
import { isoDate } from "./money";
import { renderOfferCsvValues, renderExportedOffer, isOfferActive, OFFER_CSV_COLUMNS } from "./offer-view";
import { toCsvLine } from "./csv";
import { uuidFrom } from "./prng";
import { badRequest } from "./sim-errors";
import type { SimState } from "./sim-state";
import type { SimOfferExport } from "./types";

export const OFFER_EXPORT_FILE_PATH = "/api/offers/export/async/file/";

export function createOfferExport({
  state,
  shopId,
  body,
  baseUrl,
  at,
}: {
  state: SimState;
  shopId: number;
  body: { export_type?: string; last_request_date?: string; include_inactive_offers?: boolean; items_per_chunk?: number };
  baseUrl: string;
  at: number;
}): SimOfferExport {
  const format = body.export_type ?? "application/json";
  if (format !== "application/json" && format !== "text/csv") {
    throw badRequest(`The export_type '${format}' is not supported (application/json or text/csv).`);
  }
  let lastRequestDate: number | null = null;
  if (body.last_request_date !== undefined) {
    lastRequestDate = Date.parse(body.last_request_date);
    if (Number.isNaN(lastRequestDate)) throw badRequest("The last_request_date is not a valid date-time.");
  }
  const includeInactive = body.include_inactive_offers ?? false;
  const itemsPerChunk = body.items_per_chunk ?? 1_000_000;
  // OF52 returns the existing tracking id for a duplicate request (notes §1.10).
  for (const e of state.offerExports.values()) {
    if (e.shopId === shopId && e.status === "PENDING" && e.format === format && e.lastRequestDate === lastRequestDate && e.includeInactive === includeInactive && e.itemsPerChunk === itemsPerChunk) {
      return e;
    }
  }
  const exp: SimOfferExport = {
    trackingId: uuidFrom({ prng: state.random.ids }),
    shopId,
    createdAt: at,
    status: "PENDING",
    format,
    lastRequestDate,
    includeInactive,
    itemsPerChunk,
    baseUrl,
    completedAt: null,
    files: [],
  };
  state.offerExports.set(exp.trackingId, exp);
  state.scheduler.schedule({ at: at + state.tenant.exportDelayMs, event: { kind: "export-complete", trackingId: exp.trackingId } });
  return exp;
}

export function completeOfferExport({ state, trackingId, at }: { state: SimState; trackingId: string; at: number }): void {
  const exp = state.offerExports.get(trackingId);
  if (!exp || exp.status !== "PENDING") return;
  const all = [...(state.offersByShop.get(exp.shopId)?.values() ?? [])];
  const selected = all.filter((o) => {
    if (exp.lastRequestDate !== null) return o.updatedAt >= exp.lastRequestDate;
    return !o.deleted && (exp.includeInactive || isOfferActive(o));
  });
  const chunks: (typeof selected)[] = [];
  for (let i = 0; i < selected.length; i += exp.itemsPerChunk) chunks.push(selected.slice(i, i + exp.itemsPerChunk));
  if (chunks.length === 0) chunks.push([]);
  const d = state.tenant.csvDelimiter;
  exp.files = chunks.map((chunk) =>
    exp.format === "application/json"
      ? JSON.stringify(chunk.map((offer) => renderExportedOffer({ state, offer })))
      : [toCsvLine({ values: [...OFFER_CSV_COLUMNS], delimiter: d }), ...chunk.map((offer) => toCsvLine({ values: renderOfferCsvValues({ state, offer }), delimiter: d }))].join("\n") + "\n",
  );
  exp.status = "COMPLETED";
  exp.completedAt = at;
}

export function renderOfferExportStatus({ exp }: { exp: SimOfferExport }): Record<string, unknown> {
  const ext = exp.format === "application/json" ? "json" : "csv";
  return exp.status === "COMPLETED"
    ? {
        last_updated: isoDate(exp.completedAt),
        status: exp.status,
        urls: exp.files.map((_, i) => `${exp.baseUrl}${OFFER_EXPORT_FILE_PATH}${exp.trackingId}?file=offers-${i}.${ext}`),
      }
    : { last_updated: isoDate(exp.createdAt), status: exp.status };
}

/** OF54: the chunk a URL from OF53 points at. */
export function offerExportFile({ state, shopId, trackingId, file }: { state: SimState; shopId: number; trackingId: string; file: string | null }) {
  const exp = state.offerExports.get(trackingId);
  if (!exp || exp.shopId !== shopId || exp.status !== "COMPLETED") return undefined;
  const m = /^offers-(\d+)\.(json|csv)$/.exec(file ?? "");
  const content = m ? exp.files[Number(m[1])] : undefined;
  if (content === undefined) return undefined;
  return { contentType: exp.format === "application/json" ? "application/json" : "text/csv", content };
}
