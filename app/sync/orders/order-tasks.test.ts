import { describe, expect, it } from "vitest";
import { heldOrderTask, skusOnlyMappingReleases } from "./order-tasks";

const connection = { id: "11111111-1111-4111-8111-111111111111", shop: "demo-brand.myshopify.com", name: "Joules" };
const now = new Date("2026-11-23T07:00:00Z");
const line = (offerSku: string, check: string, reason: string | null = null) => ({ orderLineId: `L-${offerSku}`, offerSku, quantity: 1, accepted: null, reason, check, variantId: null, inventoryItemId: null });
const unlinked = (sku: string) => line(sku, "unmapped", `SKU ${sku} is not linked to any Shopify product`);
const held = (holdReason: string, decision: unknown) => ({ id: "link-1", miraklOrderId: "6222088818-A", acceptanceDeadline: new Date("2026-11-23T07:31:00Z"), holdReason, acceptanceDecision: decision });

describe("held-order task", () => {
  it("an order held only because SKU SCARF-RED is not linked points at the SKU mapping screen for that SKU", () => {
    const link = held("LINES_FAILING: SKU SCARF-RED is not linked to any Shopify product", [unlinked("SCARF-RED"), line("TOTE", "ok")]);
    const task = heldOrderTask({ connection, link, summary: "SKU SCARF-RED is not linked to any Shopify product", now, escalated: true });
    expect(task.actionLabel).toBe("Map SCARF-RED");
    expect(task.actionUrl).toBe(`/app/skus?connection=${connection.id}&q=SCARF-RED`);
    expect(task.body).toContain("mapping releases the order automatically");
    // The order stays reachable by hand, named in the body (the task has a single action).
    expect(task.body).toContain("open order 6222088818-A");
    // Still about the order: the order page lists it and the same key resolves it.
    expect(task).toMatchObject({ entityType: "order", entityId: "link-1", dedupeKey: `held-order:${connection.id}:6222088818-A`, kind: "held_order", severity: "critical" });
  });

  it("several unlinked SKUs lead to the SKU screen's Holding orders tab", () => {
    const link = held("PARTIAL_DISABLED: …", [unlinked("SCARF-RED"), line("HAT-BLUE", "ambiguous", "SKU HAT-BLUE matches 2 Shopify variants"), line("TOTE", "ok")]);
    const task = heldOrderTask({ connection, link, summary: "…", now, escalated: false });
    expect(task.actionLabel).toBe("Map 2 SKUs");
    expect(task.actionUrl).toBe(`/app/skus?connection=${connection.id}&status=holding_orders`);
    expect(task.body).toContain("Map SCARF-RED and HAT-BLUE to their Shopify variants");
  });

  it("writes the deadline in the shop's zone", () => {
    const link = held("LINES_FAILING: …", [unlinked("SCARF-RED")]);
    expect(heldOrderTask({ connection, link, summary: "…", now, escalated: false, timeZone: "Europe/Paris" }).body).toContain("by 23 Nov 2026, 08:31 GMT+1 (31 min left)");
    expect(heldOrderTask({ connection, link, summary: "…", now, escalated: false }).body).toContain("by 23 Nov 2026, 07:31 UTC (31 min left)");
  });

  it("any other problem keeps Review order: stock, a review policy, Shopify not answering, an old decision without checks", () => {
    const cases = [
      held("LINES_FAILING: …", [unlinked("SCARF-RED"), line("WELLY", "short", "2 × WELLY ordered but only 1 available")]),
      held("REVIEW: this marketplace is set to hold every order for review", [unlinked("SCARF-RED")]),
      held("UNVERIFIED: …", [line("SCARF-RED", "unverified")]),
      held("LINES_FAILING: SKU SCARF-RED is not linked", [{ orderLineId: "L1", offerSku: "SCARF-RED", quantity: 1, accepted: null, reason: "SKU SCARF-RED is not linked" }]),
      held("UNMAPPED_SKU: SKU SCARF-RED is not linked to any Shopify product", null),
    ];
    for (const link of cases) {
      const task = heldOrderTask({ connection, link, summary: "x", now, escalated: false });
      expect(task.actionLabel).toBe("Review order");
      expect(task.actionUrl).toBe("/app/orders/link-1");
      expect(task.body).toContain("Open the order to accept or refuse it.");
    }
    expect(heldOrderTask({ connection, link: { id: "link-1", miraklOrderId: "X", acceptanceDeadline: null }, summary: "x", now, escalated: false }).actionLabel).toBe("Review order");
  });

  it("lists each SKU once", () => {
    expect(skusOnlyMappingReleases(held("LINES_FAILING: …", [unlinked("SCARF-RED"), { ...unlinked("SCARF-RED"), orderLineId: "L2" }, line("X", "ignored")]))).toEqual(["SCARF-RED", "X"]);
  });
});
