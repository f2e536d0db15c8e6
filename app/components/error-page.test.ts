import { describe, expect, it } from "vitest";
import { errorPageModel } from "./error-page";

const response = (status: number, data: unknown) => ({ status, statusText: status === 404 ? "Not Found" : "Error", internal: false, data });
const NAV = [
  { url: "/app", label: "Overview" },
  { url: "/app/orders", label: "Orders" },
  { url: "/app/connections", label: "Marketplaces" },
];

describe("errorPageModel", () => {
  it("a missing order says what is missing and links back to the orders", () => {
    const m = errorPageModel(response(404, "This order does not exist (or belongs to another shop)."), "/app/orders/00000000-0000-0000-0000-000000000000", NAV);
    expect(m).toEqual({ status: 404, title: "Page not found", message: "This order does not exist (or belongs to another shop).", back: { url: "/app/orders", label: "Back to Orders" } });
  });

  it("a bare 'Not found' or an HTML body becomes a plain sentence", () => {
    expect(errorPageModel(response(404, "Not found"), "/app/connections/x", NAV).message).toMatch(/^This page does not exist/);
    expect(errorPageModel(response(404, "<html>oops</html>"), "/app/connections/x", NAV).back).toEqual({ url: "/app/connections", label: "Back to Marketplaces" });
    expect(errorPageModel(response(404, "<html>oops</html>"), "/app/connections/x", NAV).message).toMatch(/^This page does not exist/);
  });

  it("a crash shows no internals and goes back to the overview outside a known section", () => {
    const m = errorPageModel(new Error("connect ECONNREFUSED 10.0.0.1:5432"), "/somewhere", NAV);
    expect(m.status).toBe(500);
    expect(m.message).not.toMatch(/ECONNREFUSED/);
    expect(m.back).toEqual({ url: "/app", label: "Back to the overview" });
  });
});
