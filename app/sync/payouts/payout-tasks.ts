import type { RaiseTaskInput } from "../tasks.server";
import { centsToDecimal } from "../orders/money";
import type { PayoutFlag } from "./matching";

export const PAYOUT_TASK_KINDS = ["payout_unmatched_order", "payout_commission_not_recovered", "payout_total_mismatch"] as const;

export interface PayoutTaskContext {
  shop: string;
  connectionId: string;
  connectionName: string;
  payoutId: string;
  /** how the merchant recognises the payout: its bank reference, voucher number or date */
  payoutLabel: string;
  currency: string | null;
}

const money = (cents: number, currency: string | null) => `${centsToDecimal(cents)} ${currency ?? ""}`.trim();

/** The stable dedupe key of a flag: the same problem seen by every sync is one task. */
export function payoutTaskKey(connectionId: string, payoutCycleId: string, flag: PayoutFlag): string {
  switch (flag.kind) {
    case "unmatched_order":
      return `payout-unmatched-order:${connectionId}:${flag.miraklOrderId}`;
    case "commission_not_recovered":
      return `payout-commission:${connectionId}:${flag.refundRequestId}`;
    case "total_mismatch":
      return `payout-mismatch:${connectionId}:${payoutCycleId}`;
  }
}

/** The Task a finance person acts on, in plain language, with the screen that fixes it. */
export function payoutTask(ctx: PayoutTaskContext, payoutCycleId: string, flag: PayoutFlag): RaiseTaskInput {
  const base = {
    shop: ctx.shop,
    connectionId: ctx.connectionId,
    dedupeKey: payoutTaskKey(ctx.connectionId, payoutCycleId, flag),
    entityType: "payout",
    entityId: ctx.payoutId,
    data: { flag },
  };
  switch (flag.kind) {
    case "unmatched_order":
      return {
        ...base,
        kind: "payout_unmatched_order",
        severity: "warning",
        title: `${ctx.connectionName} paid for order ${flag.miraklOrderId}, which has no Shopify order`,
        body:
          `Payout ${ctx.payoutLabel} includes ${money(flag.netCents, ctx.currency)} for Mirakl order ${flag.miraklOrderId}, ` +
          (flag.reason === "not_imported"
            ? "but the order was never created in Shopify (it is held or its import failed). Open the order to import it, so the money can be matched to a Shopify order."
            : "but this app has never seen that order (placed before the marketplace was connected, or handled outside the app). Record it in Shopify by hand if needed, then dismiss this task."),
        actionLabel: flag.orderLinkId ? "Open order" : "Open payout",
        actionUrl: flag.orderLinkId ? `/app/orders/${flag.orderLinkId}` : `/app/payouts/${ctx.payoutId}`,
      };
    case "commission_not_recovered":
      return {
        ...base,
        kind: "payout_commission_not_recovered",
        severity: "critical",
        title: `Commission not recovered on the refund of ${flag.shopifyOrderName ?? flag.miraklOrderId}`,
        body:
          `${flag.shopifyAmountCents === null ? "A refund" : money(flag.shopifyAmountCents, ctx.currency)} was refunded in Shopify on ${flag.refundedAt.slice(0, 10)}, ` +
          `but payout ${ctx.payoutLabel} has no matching refund from ${ctx.connectionName} for order ${flag.miraklOrderId}. ` +
          `Until the refund is made on Mirakl, the marketplace keeps its commission (${money(flag.commissionChargedCents, ctx.currency)} was charged on this order). ` +
          "Send the refund to Mirakl (or make it in the Mirakl back office); the commission comes back in the next payout and this task closes itself.",
        actionLabel: "Open refund",
        actionUrl: `/app/refunds/${flag.refundRequestId}`,
      };
    case "total_mismatch":
      return {
        ...base,
        kind: "payout_total_mismatch",
        severity: "warning",
        title: `Payout ${ctx.payoutLabel} does not add up`,
        body:
          `${ctx.connectionName} says it paid ${money(flag.paidCents, ctx.currency)}, but the payout's transaction lines add up to ${money(flag.linesCents, ctx.currency)} ` +
          `(difference ${money(flag.differenceCents, ctx.currency)}). Ask the marketplace's seller support for the payout statement before you book it.`,
        actionLabel: "Open payout",
        actionUrl: `/app/payouts/${ctx.payoutId}`,
      };
  }
}
