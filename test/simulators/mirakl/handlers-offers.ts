/**
 * Offer and stock operations: OF21 list, OF52/OF53 async export (+ the OF54 download URLs the simulator serves),
 * STO01 stock import, STO02 status, STO03 error report.
 */
import { json, type ApiContext, type ApiRoute } from "./api-context";
import { boundaryOf, parseMultipart } from "./multipart";
import { createOfferExport, offerExportFile, renderOfferExportStatus, OFFER_EXPORT_FILE_PATH } from "./offer-exports";
import { renderOffer } from "./offer-view";
import { buildLinkHeader, parseOffsetParams } from "./offset-pagination";
import { parseBooleanParam } from "./query-params";
import { MiraklApiError, badRequest } from "./sim-errors";
import { createStockImport, renderStockImport } from "./stock-imports";
import type { SimOffer } from "./types";

function listOffers(ctx: ApiContext) {
  const { state, query, shop } = ctx;
  const page = parseOffsetParams({ query });
  const sort = query.get("sort") ?? "totalPrice";
  if (!["totalPrice", "price", "productTitle"].includes(sort)) throw badRequest(`The sort field '${sort}' is not supported (totalPrice, price, productTitle).`);
  parseBooleanParam({ query, name: "favorite" });
  const sku = query.get("sku");
  const productId = query.get("product_id");
  const stateCodes = (query.get("offer_state_codes") ?? "").split(",").filter(Boolean);
  const ship = Math.min(...state.tenant.shippingTypes.map((t) => t.price), Infinity);
  const shipping = Number.isFinite(ship) ? ship : 0;
  const key: Record<string, (o: SimOffer) => number | string> = {
    totalPrice: (o) => o.price + shipping,
    price: (o) => o.price,
    productTitle: (o) => o.productTitle,
  };
  const k = key[sort] as (o: SimOffer) => number | string;
  const offers = [...(state.offersByShop.get(shop.shopId)?.values() ?? [])]
    .filter((o) => !o.deleted && (!sku || o.sku === sku) && (!productId || o.productSku === productId) && (stateCodes.length === 0 || stateCodes.includes(o.stateCode)))
    .sort((a, b) => {
      const x = k(a);
      const y = k(b);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return (c || a.price - b.price || a.offerId - b.offerId) * (page.order === "desc" ? -1 : 1);
    });
  const slice = page.paginate ? offers.slice(page.offset, page.offset + page.max) : offers;
  const link = page.paginate ? buildLinkHeader({ baseUrl: ctx.baseUrl, path: ctx.path, query, offset: page.offset, max: page.max, total: offers.length }) : null;
  return json(200, { offers: slice.map((offer) => renderOffer({ state, offer })), total_count: offers.length }, link ? { link } : undefined);
}

function importStock(ctx: ApiContext) {
  const boundary = ctx.contentType.toLowerCase().startsWith("multipart/form-data") ? boundaryOf({ contentType: ctx.contentType }) : null;
  if (!boundary) throw new MiraklApiError(415, "STO01 expects multipart/form-data with a part named file.");
  const file = parseMultipart({ body: ctx.rawBody, boundary }).find((p) => p.name === "file");
  if (!file) throw badRequest("The part file is mandatory.");
  const imp = createStockImport({ state: ctx.state, shopId: ctx.shop.shopId, csv: file.data.toString("utf8"), at: ctx.at });
  return json(201, { import_id: imp.id }, { location: `${ctx.baseUrl}/api/offers/stock/imports/${imp.id}/status` });
}

function stockImportOf(ctx: ApiContext) {
  const imp = ctx.state.stockImports.get(ctx.params.import_id ?? "");
  if (!imp || imp.shopId !== ctx.shop.shopId) throw new MiraklApiError(404, `The import '${ctx.params.import_id ?? ""}' does not exist.`);
  return imp;
}

function exportOf(ctx: ApiContext) {
  const exp = ctx.state.offerExports.get(ctx.params.tracking_id ?? "");
  if (!exp || exp.shopId !== ctx.shop.shopId) throw new MiraklApiError(404, `The export '${ctx.params.tracking_id ?? ""}' does not exist.`);
  return exp;
}

export const offerRoutes: ApiRoute[] = [
  { operationId: "OF21", method: "GET", template: "/api/offers", write: false, jsonBody: false, handle: listOffers },
  {
    operationId: "OF52",
    method: "POST",
    template: "/api/offers/export/async",
    write: true,
    jsonBody: true,
    handle: (ctx) => {
      const body = (typeof ctx.body === "object" && ctx.body !== null ? ctx.body : {}) as Parameters<typeof createOfferExport>[0]["body"];
      const exp = createOfferExport({ state: ctx.state, shopId: ctx.shop.shopId, body, baseUrl: ctx.baseUrl, at: ctx.at });
      return json(200, { tracking_id: exp.trackingId });
    },
  },
  { operationId: "OF53", method: "GET", template: "/api/offers/export/async/status/{tracking_id}", write: false, jsonBody: false, handle: (ctx) => json(200, renderOfferExportStatus({ exp: exportOf(ctx) })) },
  {
    // OF54's path is "retrieved from OF53": this is the URL the simulator hands out.
    operationId: "OF54",
    method: "GET",
    template: `${OFFER_EXPORT_FILE_PATH}{tracking_id}`,
    write: false,
    jsonBody: false,
    handle: (ctx) => {
      const file = offerExportFile({ state: ctx.state, shopId: ctx.shop.shopId, trackingId: ctx.params.tracking_id ?? "", file: ctx.query.get("file") });
      if (!file) throw new MiraklApiError(404, "The export file does not exist.");
      return { status: 200, text: file.content, contentType: file.contentType === "application/json" ? "application/json;charset=UTF-8" : "text/csv;charset=UTF-8" };
    },
  },
  { operationId: "STO01", method: "POST", template: "/api/offers/stock/imports", write: true, jsonBody: false, handle: importStock },
  { operationId: "STO02", method: "GET", template: "/api/offers/stock/imports/{import_id}/status", write: false, jsonBody: false, handle: (ctx) => json(200, renderStockImport({ imp: stockImportOf(ctx) })) },
  {
    operationId: "STO03",
    method: "GET",
    template: "/api/offers/stock/imports/{import_id}/error_report",
    write: false,
    jsonBody: false,
    handle: (ctx) => {
      const imp = stockImportOf(ctx);
      if (imp.errorReport === null) throw new MiraklApiError(404, `The import '${imp.id}' has no error report.`);
      return { status: 200, text: imp.errorReport, contentType: "text/csv;charset=UTF-8" };
    },
  },
];
