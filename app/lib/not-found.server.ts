import type { MarketplaceConnection, PrismaClient } from "@prisma/client";

/**
 * A page's entity does not exist (or belongs to another shop): a 404 Response, which the app's error boundary shows
 * as "Page not found" with this message and a way back. Thrown from loaders only; actions answer with an error.
 */
export function notFound(message: string): never {
  throw new Response(message, { status: 404, statusText: "Not Found", headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The shop's marketplace connection for a /app/connections/<id> or /app/inventory/<id> page, or a 404. */
export async function connectionOr404(prisma: Pick<PrismaClient, "marketplaceConnection">, shop: string, id: string | undefined): Promise<MarketplaceConnection> {
  const connection = id ? await prisma.marketplaceConnection.findFirst({ where: { id, shop } }) : null;
  return connection ?? notFound("This marketplace connection does not exist (it may have been removed).");
}
