import type { MarketplaceConnection, OrderLink } from "@prisma/client";
import type { MiraklOrder } from "../mirakl";
import type { Services } from "../services.server";
import { logger } from "../lib/logger";

/**
 * Order polling (app/sync/orders) is the only code that reads Mirakl orders; other flows react to what it
 * sees through these listeners: a shipment made in the Mirakl portal (fulfilment), a refund or cancellation
 * made by the operator or customer (adjustments), … Listeners must be idempotent: the same order update can
 * be seen twice (Mirakl's start_update_date overlap, the backfill sweep).
 */
export interface OrderUpdate {
  services: Services;
  connection: MarketplaceConnection;
  /** The link after the update was stored. */
  orderLink: OrderLink;
  /** The Mirakl order as just read (OR11). */
  order: MiraklOrder;
  /** The snapshot stored before this update, or null the first time the order was seen. */
  previous: MiraklOrder | null;
}

export type OrderUpdateListener = (update: OrderUpdate) => Promise<void>;

const listeners = new Map<string, OrderUpdateListener>();
const log = logger.child({ module: "order-events" });

/** Registers a named listener (registering the same name again replaces it). */
export function onMiraklOrderUpdated(name: string, listener: OrderUpdateListener): void {
  listeners.set(name, listener);
}

/** Called by order polling after storing an update. A failing listener is logged and does not stop the others. */
export async function emitMiraklOrderUpdated(update: OrderUpdate): Promise<void> {
  for (const [name, listener] of listeners) {
    try {
      await listener(update);
    } catch (err) {
      log.error("order update listener failed", { listener: name, shop: update.connection.shop, miraklOrderId: update.orderLink.miraklOrderId, err });
      throw err;
    }
  }
}
