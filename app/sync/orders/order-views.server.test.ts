import { describe, expect, it } from "vitest";
import { canRetry, lastErrorNotice } from "./order-views.server";
import { REFERENCE_GIVEN_UP } from "./write-reference.server";

describe("the order page's last error", () => {
  const imported = { miraklState: "SHIPPING", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", sellerReferenceSent: false };

  it("a seller reference Mirakl refused for good is an info notice without Retry", () => {
    const lastError = `${REFERENCE_GIVEN_UP} (ORDER_REF_INVALID order_reference_for_seller too long)`;
    expect(lastErrorNotice(lastError)).toMatchObject({ tone: "info", retryable: false });
    expect(lastErrorNotice(lastError)?.body).not.toMatch(/OR04/);
    expect(canRetry({ ...imported, lastError })).toBe(false);
    expect(canRetry({ ...imported, lastError: REFERENCE_GIVEN_UP })).toBe(false);
  });

  it("other errors stay critical with Retry, the operation code moved to the end", () => {
    expect(lastErrorNotice("OR21: Mirakl answered 500")).toEqual({ tone: "critical", title: "Last error", body: "Mirakl answered 500 (Mirakl OR21)", retryable: true });
    expect(canRetry({ ...imported, sellerReferenceSent: true, lastError: "Shopify cancellation failed" })).toBe(true);
    expect(canRetry({ ...imported, lastError: null })).toBe(true);
    expect(lastErrorNotice(null)).toBeNull();
  });

  it("an ended order offers no Retry", () => {
    expect(canRetry({ ...imported, miraklState: "REFUSED", importStatus: "NOT_IMPORTED", lastError: "OR21: x" })).toBe(false);
  });
});
