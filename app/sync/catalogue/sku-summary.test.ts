import { describe, expect, it } from "vitest";
import { skuSyncLine, skuTabCounts, skuTabLabel } from "./sku-summary";

const fmt = (d: string) => d.slice(11, 16);

describe("SKU mapping summary", () => {
  // The reviewed screen: 8 matched and SCARF-RED (seen only on orders, so not in the 8 offers the sync read).
  const counts = { matched: 8, unmatched: 1, ambiguous: 0, ignored: 0, total: 9, holdingOrders: 1 };

  it("tab counts come from the same figures as the badges and add up", () => {
    const tabs = skuTabCounts(counts);
    expect(tabs).toEqual({ all: 9, needs_mapping: 1, holding_orders: 1, matched: 8, ignored: 0 });
    expect(tabs.matched + tabs.needs_mapping + tabs.ignored).toBe(tabs.all);
    expect(skuTabLabel("Needs mapping", tabs.needs_mapping)).toBe("Needs mapping (1)");
  });

  it("the sync line no longer restates stale mapping counts, and explains the offer the sync did not read", () => {
    const line = skuSyncLine({ lastSyncedAt: "2026-11-23T07:00:00Z", offersRead: 8, notInLastSync: 1 }, "Joules", fmt);
    expect(line).toBe("Offers last synced 07:00: 8 offers read from Joules. 1 offer was not in that read (seen only on an order since, or no longer listed on Joules).");
    expect(line).not.toMatch(/mapped|without a Shopify variant/);
  });

  it("before the first sync, and for a sync recorded without the figure", () => {
    expect(skuSyncLine({ lastSyncedAt: null, offersRead: null, notInLastSync: 0 }, "Joules", fmt)).toBe("Offers have not been read from Joules yet.");
    expect(skuSyncLine({ lastSyncedAt: "2026-11-23T07:00:00Z", offersRead: null, notInLastSync: 0 }, "Joules", fmt)).toBe("Offers last synced 07:00.");
  });
});
