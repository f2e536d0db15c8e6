import { describe, expect, it } from "vitest";
import { parseInventoryLevelUpdate } from "./level-payload";

const received = new Date("2026-05-01T10:00:00Z");

describe("parseInventoryLevelUpdate", () => {
  it("turns Shopify's numeric ids into GIDs and reads updated_at with its offset", () => {
    const out = parseInventoryLevelUpdate({ inventory_item_id: 271878346596, location_id: 24826418, available: 7, updated_at: "2026-05-01T12:00:05+02:00", admin_graphql_api_id: "gid://shopify/InventoryLevel/1?inventory_item_id=271878346596" }, received);
    expect(out).toEqual({
      inventoryItemId: "gid://shopify/InventoryItem/271878346596",
      locationId: "gid://shopify/Location/24826418",
      available: 7,
      asOf: new Date("2026-05-01T10:00:05Z"),
      asOfFromPayload: true,
    });
  });

  it("accepts numeric strings, a null available, and falls back to the receiving time without updated_at", () => {
    const out = parseInventoryLevelUpdate({ inventory_item_id: "12", location_id: "34", available: null }, received);
    expect(out).toMatchObject({ inventoryItemId: "gid://shopify/InventoryItem/12", locationId: "gid://shopify/Location/34", available: null, asOf: received, asOfFromPayload: false });
    expect(parseInventoryLevelUpdate({ inventory_item_id: 1, location_id: 2, available: 3, updated_at: "yesterday" }, received)).toMatchObject({ asOf: received, asOfFromPayload: false });
  });

  it("refuses what is not an inventory level", () => {
    expect(parseInventoryLevelUpdate({ location_id: 2, available: 3 }, received)).toHaveProperty("error");
    expect(parseInventoryLevelUpdate({ inventory_item_id: "abc", location_id: 2 }, received)).toHaveProperty("error");
    expect(parseInventoryLevelUpdate({ inventory_item_id: 1, location_id: 2, available: 1.5 }, received)).toHaveProperty("error");
    expect(parseInventoryLevelUpdate(null, received)).toHaveProperty("error");
  });
});
