import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../app/services.server";
import { syncPayouts } from "../../app/sync/payouts/sync.server";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";
import type { MiraklSimulator } from "../simulators/mirakl";

/**
 * A closed Mirakl payout for the demo (and the payouts browser test): orders imported into Shopify, shipped and
 * received on the simulator, the billing cycle closed, then the real payout sync. The simulator's receive delay
 * (a week on the Joules preset) is shortened while seeding so the simulated clock only moves a few minutes.
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
  mirakl.control.configure({ autoReceiveMs: 60_000 });
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
      mirakl.control.advanceClock(tenant.debitDelayMs + 1_000);
      mirakl.control.shipInPortal(created.order_id, {
        carrierCode: tenant.carriers[0]!.code,
        trackingNumber: `DEMO${created.order_id.replace(/\W/g, "")}`,
      });
    }
    mirakl.control.advanceClock(61_000);
  } finally {
    mirakl.control.configure({ autoReceiveMs: tenant.autoReceiveMs });
  }
  mirakl.control.closeBillingCycle();
  await syncPayouts({ services, connection });
  return orders;
}
