/**
 * Applies every time-based transition that is due on the simulated clock, in due order and stamped with its due
 * time. Called before each request is served (so time passing naturally works in the demo) and by advanceClock.
 */
import { closeBillingCycle, payOutCycle } from "./accounting";
import { completeOfferExport } from "./offer-exports";
import { completeRefund } from "./order-refunds";
import { applyDebit, closeOrder, enterWaitingAcceptance, receiveOrder, refuseAutomatically } from "./order-workflow";
import { followOrderState } from "./shipments";
import type { SimState } from "./sim-state";
import { completeStockImport, startStockImport } from "./stock-imports";

export function runDueTransitions({ state }: { state: SimState }): number {
  const now = state.clock.now();
  let applied = 0;
  for (;;) {
    const due = state.scheduler.popDue({ now });
    if (!due) return applied;
    applied++;
    const { at, event } = due;
    switch (event.kind) {
      case "staging-end": {
        const order = state.orders.get(event.orderId);
        if (order?.state === "STAGING") enterWaitingAcceptance({ state, order, at });
        break;
      }
      case "acceptance-expiry": {
        const order = state.orders.get(event.orderId);
        if (order) refuseAutomatically({ state, order, at });
        break;
      }
      case "debit": {
        const order = state.orders.get(event.orderId);
        if (order) applyDebit({ state, order, at });
        break;
      }
      case "auto-receive": {
        const order = state.orders.get(event.orderId);
        if (order) {
          receiveOrder({ state, order, at });
          followOrderState({ state, order, at });
        }
        break;
      }
      case "auto-close": {
        const order = state.orders.get(event.orderId);
        if (order) {
          closeOrder({ order, at });
          followOrderState({ state, order, at });
        }
        break;
      }
      case "refund-complete":
        completeRefund({ state, orderId: event.orderId, refundId: event.refundId, at });
        break;
      case "import-start":
        startStockImport({ state, importId: event.importId });
        break;
      case "import-complete":
        completeStockImport({ state, importId: event.importId, at });
        break;
      case "export-complete":
        completeOfferExport({ state, trackingId: event.trackingId, at });
        break;
      case "billing-cycle":
        closeBillingCycle({ state, at });
        state.scheduler.schedule({ at: at + Math.max(state.tenant.billingCycleMs, 1_000), event: { kind: "billing-cycle" } });
        break;
      case "payout":
        payOutCycle({ state, cycleId: event.cycleId, at });
        break;
    }
  }
}
