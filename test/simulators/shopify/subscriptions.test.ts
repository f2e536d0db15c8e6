import { describe, expect, it } from "vitest";
import { defaultSubscriptions, parseTomlSubscriptions } from "./webhooks/subscriptions";

describe("shopify.app.toml webhook subscriptions", () => {
  it("reads topics, multi-line arrays and compliance topics per [[webhooks.subscriptions]] block", () => {
    const toml = `
client_id = "abc"
[webhooks]
api_version = "2026-04"

  [[webhooks.subscriptions]]
  topics = [ "orders/create", "orders/updated" ] # Handled by: app/routes/webhooks.orders.tsx
  uri = "/webhooks/orders"

  [[webhooks.subscriptions]]
  topics = [
    "inventory_levels/update",
  ]
  uri = "/webhooks/inventory"

  [[webhooks.subscriptions]]
  compliance_topics = ["customers/data_request", "customers/redact", "shop/redact"]
  uri = "/webhooks/compliance"

[access_scopes]
scopes = "write_orders"
`;
    expect(parseTomlSubscriptions(toml)).toEqual([
      { topic: "orders/create", uri: "/webhooks/orders" },
      { topic: "orders/updated", uri: "/webhooks/orders" },
      { topic: "inventory_levels/update", uri: "/webhooks/inventory" },
      { topic: "customers/data_request", uri: "/webhooks/compliance" },
      { topic: "customers/redact", uri: "/webhooks/compliance" },
      { topic: "shop/redact", uri: "/webhooks/compliance" },
    ]);
  });

  it("falls back to /webhooks/<topic> for every simulated topic when there is no toml", () => {
    const subs = defaultSubscriptions("/nonexistent/shopify.app.toml");
    expect(subs).toContainEqual({ topic: "orders/edited", uri: "/webhooks/orders/edited" });
    expect(subs).toContainEqual({ topic: "app/uninstalled", uri: "/webhooks/app/uninstalled" });
  });
});
