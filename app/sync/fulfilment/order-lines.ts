import { miraklOrderSchema, type MiraklOrder } from "../../mirakl";
import type { MiraklLineInfo } from "./line-mapping";

/** OrderLink.snapshot (the last OR11 order) read with the client's own lenient schema; null when unreadable. */
export function readSnapshot(json: unknown): MiraklOrder | null {
  const parsed = miraklOrderSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export function miraklLinesOf(order: Pick<MiraklOrder, "order_lines">): MiraklLineInfo[] {
  return order.order_lines.map((l) => ({
    orderLineId: l.order_line_id,
    offerSku: l.offer_sku,
    quantity: l.quantity,
    state: l.order_line_state,
  }));
}

/** Order states in which OR23/OR24/ST01 cannot be sent yet (notes §4.3: never while WAITING_DEBIT*). */
export const PRE_SHIPPING_STATES: ReadonlySet<string> = new Set(["STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT"]);
/** The order has left SHIPPING through a shipment confirmation (ours, the portal's or the operator's). */
export const SHIPPED_STATES: ReadonlySet<string> = new Set(["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"]);
/** Nothing will ever ship. */
export const DEAD_STATES: ReadonlySet<string> = new Set(["CANCELED", "REFUSED"]);
