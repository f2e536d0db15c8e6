import { afterEach, describe, expect, it } from "vitest";
import { parseCsv } from "./csv";
import type { MiraklSimulator } from "./index";
import { call, expectContract, multipartFile, startTestSim, stockCsv } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const offers = [
  { sku: "A-1", quantity: 10, price: 10, productTitle: "Alpha" },
  { sku: "B-2", quantity: 0, price: 5, productTitle: "Bravo" },
  { sku: "C-3", quantity: 3, price: 30, productTitle: "Charlie" },
];

async function upload(s: MiraklSimulator, csv: string) {
  const file = multipartFile({ csv });
  return call({ sim: s, method: "POST", path: "/api/offers/stock/imports", rawBody: file.body, contentType: file.contentType });
}

const qty = (s: MiraklSimulator, sku: string) => s.control.getOffers().find((o) => o.sku === sku)?.quantity;

describe("STO01 stock imports", () => {
  it("moves WAITING → RUNNING → COMPLETE over simulated time and only then applies quantities", async () => {
    // Minutes, not seconds: the simulated clock also runs in real time, and a loaded machine can spend seconds
    // between the upload and the first status call.
    sim = await startTestSim({ offers, tenant: { importWaitMs: 60_000, importRunMs: 120_000 } });
    const r = await upload(sim, stockCsv([["A-1", 4], ["C-3", 0]]));
    expect(r.status).toBe(201);
    expect(typeof r.json.import_id).toBe("string");
    expect(r.headers.get("location")).toContain(`/api/offers/stock/imports/${r.json.import_id}/status`);
    const status = () => call({ sim: sim as MiraklSimulator, path: `/api/offers/stock/imports/${r.json.import_id}/status` });
    expect((await status()).json.status).toBe("WAITING");
    expect(qty(sim, "A-1")).toBe(10);
    sim.control.advanceClock(60_000);
    expect((await status()).json.status).toBe("RUNNING");
    sim.control.advanceClock(120_000);
    const done = (await status()).json;
    expect(done).toMatchObject({ status: "COMPLETE", lines_in_success: 2, lines_in_error: 0, has_error_report: false, shop_id: 2001 });
    expect(qty(sim, "A-1")).toBe(4);
    expect(qty(sim, "C-3")).toBe(0);
    const report = await call({ sim, path: `/api/offers/stock/imports/${r.json.import_id}/error_report` });
    expect(report.status).toBe(404);
  });

  it("turns unknown SKUs and bad quantities into STO03 error-report lines, applying the rest", async () => {
    sim = await startTestSim({ offers, tenant: { importWaitMs: 0, importRunMs: 0 } });
    const r = await upload(sim, stockCsv([["A-1", 7], ["GHOST", 5], ["C-3", -2], ["B-2", "ten"], ["A-1", 1]]));
    const done = (await call({ sim, path: `/api/offers/stock/imports/${r.json.import_id}/status` })).json;
    expect(done).toMatchObject({ status: "COMPLETE", lines_in_success: 1, lines_in_error: 4, has_error_report: true });
    expect(qty(sim, "A-1")).toBe(7);
    expect(qty(sim, "C-3")).toBe(3);
    const report = await call({ sim, path: `/api/offers/stock/imports/${r.json.import_id}/error_report` });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parseCsv({ text: report.text, delimiter: ";" });
    expect(rows[0]).toEqual(["error-line", "error-message", "offer-sku", "quantity"]);
    expect(rows.slice(1).map((row) => [row[0], row[2]])).toEqual([
      ["3", "GHOST"],
      ["4", "C-3"],
      ["5", "B-2"],
      ["6", "A-1"],
    ]);
    expect(rows[1]?.[1]).toContain("does not exist");
    expect(rows[2]?.[1]).toContain("quantity");
    expect(rows[4]?.[1]).toContain("more than once");
  });

  it("fails the import when the header lacks the offer-sku/quantity columns", async () => {
    sim = await startTestSim({ offers, tenant: { importWaitMs: 0, importRunMs: 0 } });
    const r = await upload(sim, "sku,qty\nA-1,3\n");
    const done = (await call({ sim, path: `/api/offers/stock/imports/${r.json.import_id}/status` })).json;
    expect(done.status).toBe("FAILED");
    expect(qty(sim, "A-1")).toBe(10);
  });

  it("reads files in the tenant's delimiter only: PC01 says COMMA, a comma file applies, a semicolon one fails", async () => {
    sim = await startTestSim({ offers, tenant: { importWaitMs: 0, importRunMs: 0, csvDelimiter: "," } });
    const pc01 = await call({ sim, path: "/api/platform/configuration" });
    expectContract("PC01", 200, pc01.json);
    expect(pc01.json.features.operator_csv_delimiter).toBe("COMMA");
    const status = async (id: string) => (await call({ sim: sim as MiraklSimulator, path: `/api/offers/stock/imports/${id}/status` })).json;

    // A semicolon file on a COMMA tenant: the header is one unreadable column, the whole import fails.
    const wrong = await upload(sim, stockCsv([["A-1", 4]]));
    expect(wrong.status).toBe(201);
    const failed = await status(wrong.json.import_id);
    expect(failed).toMatchObject({ status: "FAILED", lines_in_success: 0, has_error_report: false });
    expectContract("STO02", 200, failed);
    expect(qty(sim, "A-1")).toBe(10);

    // The same in commas applies; a stray semicolon line is an error line, reported in commas; a comma inside
    // quotes is data, not a separator.
    const right = await upload(sim, '"offer-sku","quantity"\n"A-1","4"\n"C-3";"1"\n"B,2","1"\n');
    const done = await status(right.json.import_id);
    expect(done).toMatchObject({ status: "COMPLETE", lines_in_success: 1, lines_in_error: 2, has_error_report: true });
    expect(qty(sim, "A-1")).toBe(4);
    expect(qty(sim, "C-3")).toBe(3);
    const report = await call({ sim, path: `/api/offers/stock/imports/${right.json.import_id}/error_report` });
    const rows = parseCsv({ text: report.text, delimiter: "," });
    expect(rows[0]).toEqual(["error-line", "error-message", "offer-sku", "quantity"]);
    expect(rows[1]?.slice(0, 1)).toEqual(["3"]);
    expect(rows[1]?.[1]).toMatch(/1 column\(s\) where the header has 2: fields must be separated by ","/);
    expect(rows[2]?.[0]).toBe("4");
    expect(rows[2]?.[1]).toContain("'B,2' does not exist");

    // Switching the tenant back (control API) switches both PC01 and what STO01 reads.
    const patched = await call({ sim, method: "PATCH", path: "/_sim/tenant", body: { csvDelimiter: ";" } });
    expect(patched.json.csvDelimiter).toBe(";");
    expect((await call({ sim, path: "/api/platform/configuration" })).json.features.operator_csv_delimiter).toBe("SEMICOLON");
    const again = await upload(sim, stockCsv([["A-1", 6]]));
    expect(await status(again.json.import_id)).toMatchObject({ status: "COMPLETE", lines_in_success: 1 });
    expect(qty(sim, "A-1")).toBe(6);
  });

  it("refuses a delimiter PC01 cannot express", async () => {
    sim = await startTestSim({ offers });
    const r = await call({ sim, method: "PATCH", path: "/_sim/tenant", body: { csvDelimiter: "COMMA" } });
    expect(r.status).toBe(400);
    expect(sim.control.getTenant().csvDelimiter).toBe(";");
  });

  it("refuses a request that is not multipart or has no file part", async () => {
    sim = await startTestSim({ offers });
    const json = await call({ sim, method: "POST", path: "/api/offers/stock/imports", body: { offers: [] } });
    expect(json.status).toBe(415);
    const file = multipartFile({ csv: stockCsv([["A-1", 1]]), name: "other" });
    const noFile = await call({ sim, method: "POST", path: "/api/offers/stock/imports", rawBody: file.body, contentType: file.contentType });
    expect(noFile.status).toBe(400);
  });

  it("keeps imports per shop: another shop cannot read them", async () => {
    sim = await startTestSim({ offers, shops: [{ apiKey: "test-key", shopId: 1 }, { apiKey: "k2", shopId: 2 }] });
    const r = await upload(sim, stockCsv([["A-1", 1]]));
    expect((await call({ sim, key: "k2", path: `/api/offers/stock/imports/${r.json.import_id}/status` })).status).toBe(404);
  });
});

describe("offers", () => {
  it("decrements offer quantity when an order is placed (notes gotcha 23)", async () => {
    sim = await startTestSim({ offers });
    sim.control.createOrder({ lines: [{ offerSku: "A-1", quantity: 3 }] });
    const r = await call({ sim, path: "/api/offers", query: { sku: "A-1" } });
    expect(r.json.offers[0]).toMatchObject({ shop_sku: "A-1", quantity: 7, active: true });
  });

  it("OF21 pages offers, sorted by total price by default, and shows zero-stock offers as inactive", async () => {
    sim = await startTestSim({ offers });
    const p1 = await call({ sim, path: "/api/offers", query: { max: 2 } });
    expect(p1.json.total_count).toBe(3);
    expect(p1.json.offers.map((o: { shop_sku: string }) => o.shop_sku)).toEqual(["B-2", "A-1"]);
    expect(p1.json.offers[0]).toMatchObject({ active: false, quantity: 0 });
    const p2 = await call({ sim, path: "/api/offers", query: { max: 2, offset: 2 } });
    expect(p2.json.offers.map((o: { shop_sku: string }) => o.shop_sku)).toEqual(["C-3"]);
    const byTitle = await call({ sim, path: "/api/offers", query: { sort: "productTitle", order: "desc" } });
    expect(byTitle.json.offers.map((o: { product_title: string }) => o.product_title)).toEqual(["Charlie", "Bravo", "Alpha"]);
  });

  it("setOfferQuantity changes what OF21 shows", async () => {
    sim = await startTestSim({ offers });
    sim.control.setOfferQuantity("B-2", 12);
    const r = await call({ sim, path: "/api/offers", query: { sku: "B-2" } });
    expect(r.json.offers[0]).toMatchObject({ quantity: 12, active: true });
  });
});

describe("OF52/OF53/OF54 offer exports", () => {
  it("exports active offers as JSON once the job completes", async () => {
    sim = await startTestSim({ offers, tenant: { exportDelayMs: 3_000 } });
    const r = await call({ sim, method: "POST", path: "/api/offers/export/async", body: { export_type: "application/json" } });
    const id = r.json.tracking_id as string;
    const again = await call({ sim, method: "POST", path: "/api/offers/export/async", body: { export_type: "application/json" } });
    expect(again.json.tracking_id).toBe(id);
    const pending = await call({ sim, path: `/api/offers/export/async/status/${id}` });
    expect(pending.json.status).toBe("PENDING");
    expect(pending.json.urls).toBeUndefined();
    sim.control.advanceClock(3_000);
    const done = await call({ sim, path: `/api/offers/export/async/status/${id}` });
    expect(done.json.status).toBe("COMPLETED");
    expect(done.json.urls).toHaveLength(1);
    const url = new URL(done.json.urls[0]);
    expect(url.origin).toBe(sim.url);
    const file = await call({ sim, path: url.pathname + url.search });
    expect(file.json.map((o: { shop_sku: string; quantity: number }) => [o.shop_sku, o.quantity]).sort()).toEqual([
      ["A-1", 10],
      ["C-3", 3],
    ]);
    expect((await call({ sim, path: url.pathname + url.search, key: null })).status).toBe(401);
  });

  it("exports CSV including inactive offers when asked", async () => {
    sim = await startTestSim({ offers, tenant: { exportDelayMs: 0 } });
    const r = await call({ sim, method: "POST", path: "/api/offers/export/async", body: { export_type: "text/csv", include_inactive_offers: true } });
    const done = await call({ sim, path: `/api/offers/export/async/status/${r.json.tracking_id}` });
    const url = new URL(done.json.urls[0]);
    const file = await call({ sim, path: url.pathname + url.search });
    expect(file.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parseCsv({ text: file.text, delimiter: ";" });
    const header = rows[0] ?? [];
    const skuAt = header.indexOf("shop-sku");
    expect(skuAt).toBeGreaterThanOrEqual(0);
    expect(rows.slice(1).map((row) => row[skuAt]).sort()).toEqual(["A-1", "B-2", "C-3"]);
  });

  it("exports only offers changed since last_request_date (differential)", async () => {
    sim = await startTestSim({ offers, tenant: { exportDelayMs: 0 } });
    sim.control.advanceClock(60_000);
    const since = sim.control.now().toISOString();
    sim.control.advanceClock(1_000);
    sim.control.createOrder({ lines: [{ offerSku: "C-3", quantity: 1 }] });
    const r = await call({ sim, method: "POST", path: "/api/offers/export/async", body: { export_type: "application/json", last_request_date: since } });
    const done = await call({ sim, path: `/api/offers/export/async/status/${r.json.tracking_id}` });
    const url = new URL(done.json.urls[0]);
    const file = await call({ sim, path: url.pathname + url.search });
    expect(file.json.map((o: { shop_sku: string; quantity: number }) => [o.shop_sku, o.quantity])).toEqual([["C-3", 2]]);
  });

  it("refuses an unsupported export type", async () => {
    sim = await startTestSim({ offers });
    const r = await call({ sim, method: "POST", path: "/api/offers/export/async", body: { export_type: "application/xml" } });
    expect(r.status).toBe(400);
  });
});
