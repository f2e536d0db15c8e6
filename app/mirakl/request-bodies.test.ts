import { describe, expect, it } from "vitest";
import { ValidationError } from "../lib/errors";
import {
  buildAcceptOrderBody,
  buildCancelLinesBody,
  buildCreateShipmentsBody,
  buildRefundBody,
  buildSetTrackingBody,
  buildShipShipmentsBody,
  buildUpdateOrdersBody,
  toMiraklDate,
} from "./request-bodies";

describe("request bodies", () => {
  it("OR21 refuses an empty or duplicated decision before anything is sent", () => {
    expect(() => buildAcceptOrderBody({ orderId: "O-A", lines: [] })).toThrow(ValidationError);
    expect(() =>
      buildAcceptOrderBody({
        orderId: "O-A",
        lines: [
          { id: "O-A-1", accepted: true },
          { id: "O-A-1", accepted: false },
        ],
      }),
    ).toThrow(/twice/);
    expect(buildAcceptOrderBody({ orderId: "O-A", lines: [{ id: "O-A-1", accepted: false }] })).toEqual({ order_lines: [{ id: "O-A-1", accepted: false }] });
  });

  it("OR23 needs a carrier and drops carrier_url for registered carriers", () => {
    expect(() => buildSetTrackingBody({ orderId: "O-A", trackingNumber: "1Z" })).toThrow(ValidationError);
    expect(buildSetTrackingBody({ orderId: "O-A", carrierCode: "UPS", carrierUrl: "https://ignored", trackingNumber: "1Z" })).toEqual({
      carrier_code: "UPS",
      tracking_number: "1Z",
    });
    expect(buildSetTrackingBody({ orderId: "O-A", carrierName: "Local Couriers", carrierUrl: "https://t.example/1", trackingNumber: "9" })).toEqual({
      carrier_name: "Local Couriers",
      carrier_url: "https://t.example/1",
      tracking_number: "9",
    });
  });

  it("OR28/OR30 check money and quantities", () => {
    expect(() => buildRefundBody({ refunds: [] })).toThrow(ValidationError);
    expect(() => buildRefundBody({ refunds: [{ orderLineId: "L", reasonCode: "15", amount: Number.NaN, shippingAmount: 0 }] })).toThrow(ValidationError);
    expect(() => buildCancelLinesBody({ cancelations: [{ orderLineId: "L", reasonCode: "34", quantity: 1.5, amount: 1, shippingAmount: 0 }] })).toThrow(
      ValidationError,
    );
    expect(buildRefundBody({ refunds: [{ orderLineId: "L", reasonCode: "15", amount: 1, shippingAmount: 0, taxes: [] }] })).toEqual({
      refunds: [{ order_line_id: "L", reason_code: "15", amount: 1, shipping_amount: 0 }],
    });
  });

  it("OR04 takes 1 to 100 orders and a 1..2000 character reference", () => {
    const orders = Array.from({ length: 101 }, (_, i) => ({ orderId: `O-${i}`, orderReferenceForSeller: "#1001" }));
    expect(() => buildUpdateOrdersBody({ orders })).toThrow(/100/);
    expect(() => buildUpdateOrdersBody({ orders: [] })).toThrow(ValidationError);
    expect(() => buildUpdateOrdersBody({ orders: [{ orderId: "O", orderReferenceForSeller: "" }] })).toThrow(ValidationError);
  });

  it("ST01/ST24 check batch sizes and quantities", () => {
    expect(() => buildShipShipmentsBody({ shipmentIds: [] })).toThrow(ValidationError);
    expect(() => buildShipShipmentsBody({ shipmentIds: Array.from({ length: 1001 }, (_, i) => `s${i}`) })).toThrow(/1000/);
    expect(() => buildCreateShipmentsBody({ shipments: [{ orderId: "O", lines: [{ orderLineId: "O-1", quantity: 0 }] }] })).toThrow(ValidationError);
    expect(() => buildCreateShipmentsBody({ shipments: [{ orderId: "O", lines: [{ orderLineId: "O-1", quantity: 1 }], invoiceReference: "a b" }] })).toThrow(
      ValidationError,
    );
  });

  it("dates go out in UTC with Z", () => {
    expect(toMiraklDate(new Date("2025-03-03T10:00:00+02:00"), "d")).toBe("2025-03-03T08:00:00.000Z");
    expect(toMiraklDate("2025-03-03T10:00:00+01:00", "d")).toBe("2025-03-03T09:00:00.000Z");
    expect(() => toMiraklDate("yesterday", "d")).toThrow(ValidationError);
  });
});
