import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../app/services.server";
import { syncPayouts } from "../../app/sync/payouts/sync.server";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";
import type { MiraklSimulator } from "../simulators/mirakl";

/**
 * A closed Mirakl payout for the demo (and the payouts browser test): orders imported into Shopify, shipped and
 * received on the simulator, the billing cycle closed, then the real payout sync. The simulator's debit and receive
 * delays (a minute and a week on the Joules preset) are set to zero while seeding, so every step happens now and the
 * simulated clock is never moved: advancing it would put every later Mirakl date (the demo's live orders, their
 * acceptance) minutes ahead of Shopify's and of the wall clock.
 */
export async function seedDemoPayout(input: {
  services: Services;
  mirakl: MiraklSimulator;
  shop: string;
  connection: MarketplaceConnection;
  skus: string[];
  /** SKUs of Mirakl orders that are paid in the payout but never imported into Shopify (a flag to show). */
  notImported?: string[];
}): Promise<ImportedOrder[]> {
  const { services, mirakl, shop, connection } = input;
  const tenant = mirakl.control.getTenant();
  mirakl.control.configure({ debitDelayMs: 0, autoReceiveMs: 0 });
  const orders: ImportedOrder[] = [];
  try {
    for (const sku of input.skus) {
      const o = await createImportedOrder({ services, mirakl, shop, connection }, { lines: [{ sku, quantity: 1 }] });
      mirakl.control.shipInPortal(o.miraklOrderId, {
        carrierCode: tenant.carriers[0]!.code,
        trackingNumber: `DEMO${o.miraklOrderId.replace(/\W/g, "")}`,
      });
      orders.push(o);
    }
    for (const sku of input.notImported ?? []) {
      const created = mirakl.control.createOrder({
        lines: [{ offerSku: sku, quantity: 1 }],
      });
      await services.mirakl(connection).acceptOrder({
        orderId: created.order_id,
        lines: created.order_lines.map((l) => ({
          id: l.order_line_id,
          accepted: true,
        })),
      });
      mirakl.control.shipInPortal(created.order_id, {
        carrierCode: tenant.carriers[0]!.code,
        trackingNumber: `DEMO${created.order_id.replace(/\W/g, "")}`,
      });
    }
  } finally {
    mirakl.control.configure({ debitDelayMs: tenant.debitDelayMs, autoReceiveMs: tenant.autoReceiveMs });
  }
  mirakl.control.closeBillingCycle();
  await syncPayouts({ services, connection });
  return orders;
}
