/**
 * The Mirakl seller operations this client calls, by Mirakl's own code, with what the request path needs to know:
 * whether a call is a write (Mirakl has no idempotency keys, so a write is never retried blindly: notes §1.10).
 */
export const MIRAKL_OPERATIONS = {
  A01: { method: "GET", write: false, summary: "Get shop information" },
  PC01: { method: "GET", write: false, summary: "List platform configurations" },
  V01: { method: "GET", write: false, summary: "Health check" },
  SH12: { method: "GET", write: false, summary: "List shipping methods" },
  SH21: { method: "GET", write: false, summary: "List carriers" },
  RE01: { method: "GET", write: false, summary: "List reasons" },
  OR11: { method: "GET", write: false, summary: "List orders" },
  OR21: { method: "PUT", write: true, summary: "Accept or refuse order lines" },
  OR23: { method: "PUT", write: true, summary: "Update carrier tracking" },
  OR24: { method: "PUT", write: true, summary: "Validate the shipment of an order" },
  OR28: { method: "PUT", write: true, summary: "Refund order lines" },
  OR29: { method: "PUT", write: true, summary: "Cancel an order" },
  OR30: { method: "PUT", write: true, summary: "Cancel order lines" },
  OR04: { method: "PUT", write: true, summary: "Patch orders" },
  ST01: { method: "POST", write: true, summary: "Create shipments" },
  ST23: { method: "POST", write: true, summary: "Update shipment tracking" },
  ST24: { method: "PUT", write: true, summary: "Validate shipments as shipped" },
  ST11: { method: "GET", write: false, summary: "List shipments" },
  OF21: { method: "GET", write: false, summary: "List offers" },
  // Starting an export is a POST; Mirakl returns the existing tracking id for a duplicate, but we still treat it as a
  // write so a timeout is reported rather than silently re-sent.
  OF52: { method: "POST", write: true, summary: "Start an asynchronous offer export" },
  OF53: { method: "GET", write: false, summary: "Poll an offer export" },
  OF54: { method: "GET", write: false, summary: "Download an offer export chunk" },
  STO01: { method: "POST", write: true, summary: "Import a stock file" },
  STO02: { method: "GET", write: false, summary: "Stock import status" },
  STO03: { method: "GET", write: false, summary: "Stock import error report" },
  TL02: { method: "GET", write: false, summary: "List transaction lines" },
  SBC11: { method: "GET", write: false, summary: "List seller billing cycles" },
} as const satisfies Record<string, { method: "GET" | "POST" | "PUT"; write: boolean; summary: string }>;

export type MiraklOperationId = keyof typeof MIRAKL_OPERATIONS;
export type HttpMethod = (typeof MIRAKL_OPERATIONS)[MiraklOperationId]["method"];

export function isWriteOperation(operationId: MiraklOperationId): boolean {
  return MIRAKL_OPERATIONS[operationId].write;
}
