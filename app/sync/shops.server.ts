import type { PrismaClient } from "@prisma/client";
import type { Services } from "../services.server";
import { getShopInfo } from "../shopify";
import { errorMessage } from "../lib/errors";
import { logger } from "../lib/logger";
import { displayTimeZone } from "../components/format";

const log = logger.child({ module: "shops" });

export async function markShopInstalled({ prisma, shop }: { prisma: PrismaClient; shop: string }): Promise<void> {
  await prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop },
    update: { uninstalledAt: null, installedAt: new Date() },
  });
}

/**
 * Store the shop's time zone so every screen shows dates in the merchant's zone. Best effort: a Shopify outage or
 * a missing session must not fail the Mirakl settings refresh it rides along with (the screens fall back to UTC).
 */
export async function refreshShopDetails({ services, shop }: { services: Pick<Services, "prisma" | "shopifyAdmin">; shop: string }): Promise<void> {
  try {
    const info = await getShopInfo({ client: await services.shopifyAdmin(shop) });
    await services.prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop, ianaTimezone: info.ianaTimezone }, update: { ianaTimezone: info.ianaTimezone } });
  } catch (err) {
    log.warn("shop details could not be read from Shopify", { shop, error: errorMessage(err) });
  }
}

/**
 * The zone every screen (and server-written text such as Task bodies) shows dates in: the shop's IANA zone if the
 * Shop row stores one (stored by refreshShopDetails), else UTC. Resolved on the server and sent with the page, so
 * the server and the browser render the same text whatever the browser's own zone is.
 */
export async function shopTimeZone(prisma: Pick<PrismaClient, "shop">, shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return displayTimeZone(row?.ianaTimezone);
}

/**
 * app/uninstalled: the shop's tokens are dead, so every connection is paused (nothing may keep accepting
 * Mirakl orders we can no longer import) and the sessions are deleted. Data stays until shop/redact (48 h).
 */
export async function handleAppUninstalled({ prisma, shop }: { prisma: PrismaClient; shop: string }): Promise<{ pausedConnections: number }> {
  const [, paused] = await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.marketplaceConnection.updateMany({
      where: { shop, paused: false },
      data: { paused: true, pausedReason: "The app was uninstalled from Shopify." },
    }),
    prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop, uninstalledAt: new Date() }, update: { uninstalledAt: new Date() } }),
  ]);
  log.info("shop uninstalled", { shop, pausedConnections: paused.count });
  return { pausedConnections: paused.count };
}

/** shop/redact (48 h after uninstall): erase everything we hold for the shop. */
export async function eraseShop({ prisma, shop }: { prisma: PrismaClient; shop: string }): Promise<void> {
  const connections = await prisma.marketplaceConnection.findMany({ where: { shop }, select: { id: true } });
  const ids = connections.map((c) => c.id);
  await prisma.$transaction([
    prisma.fulfillmentLink.deleteMany({ where: { connectionId: { in: ids } } }),
    prisma.refundRequest.deleteMany({ where: { shop } }),
    prisma.inventorySku.deleteMany({ where: { connectionId: { in: ids } } }),
    prisma.stockImport.deleteMany({ where: { connectionId: { in: ids } } }),
    prisma.payoutTransaction.deleteMany({ where: { connectionId: { in: ids } } }),
    prisma.payoutSyncState.deleteMany({ where: { connectionId: { in: ids } } }),
    prisma.payout.deleteMany({ where: { shop } }),
    prisma.marketplaceConnection.deleteMany({ where: { shop } }), // cascades mappings and order links
    prisma.task.deleteMany({ where: { shop } }),
    prisma.syncEvent.deleteMany({ where: { shop } }),
    prisma.webhookDelivery.deleteMany({ where: { shop } }),
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { domain: shop } }),
  ]);
  log.info("shop data erased", { shop });
}
