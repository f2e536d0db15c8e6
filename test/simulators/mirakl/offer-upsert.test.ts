import { afterEach, describe, expect, it } from "vitest";
import type { MiraklSimulator } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("upsertOffer (control): listing an offer after start-up", () => {
  it("adds a new offer that OF21 lists, and updates an existing one's quantity and price", async () => {
    sim = await startTestSim({ offers: [{ sku: "A-1", quantity: 10, price: 5, productTitle: "Alpha" }] });
    const added = sim.control.upsertOffer({ sku: "NEW-1", quantity: 4, price: 12.5, productTitle: "Newcomer" });
    expect(added).toMatchObject({ sku: "NEW-1", quantity: 4, price: 12.5, productTitle: "Newcomer", active: true });
    const listed = await call({ sim, path: "/api/offers", query: { max: "100" } });
    expect(listed.json.total_count).toBe(2);
    expect(listed.json.offers.map((o: { shop_sku: string }) => o.shop_sku).sort()).toEqual(["A-1", "NEW-1"]);

    sim.control.upsertOffer({ sku: "A-1", quantity: 0, price: 6 });
    const a = await call({ sim, path: "/api/offers", query: { sku: "A-1" } });
    expect(a.json.offers[0]).toMatchObject({ shop_sku: "A-1", quantity: 0, price: 6, active: false });
  });

  it("is reachable over HTTP and refuses bad input", async () => {
    sim = await startTestSim({ offers: [{ sku: "A-1", quantity: 10, price: 5 }] });
    const ok = await call({ sim, method: "PUT", path: "/_sim/offers/GHOST-1", body: { quantity: 3, price: 9.99, productTitle: "Ghost" }, key: null });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ sku: "GHOST-1", quantity: 3 });
    expect(sim.control.getOffers().map((o) => o.sku).sort()).toEqual(["A-1", "GHOST-1"]);
    const bad = await call({ sim, method: "PUT", path: "/_sim/offers/X", body: { quantity: -1, price: 1 }, key: null });
    expect(bad.status).toBe(400);
    expect(() => sim!.control.upsertOffer({ sku: "B", quantity: 1, price: 1, shopId: 999 })).toThrow(/does not exist/);
  });
});
