/**
 * Order lists the screens share, as Prisma filters over the OrderLink states the orders flow maintains.
 * "Needs attention" is the Orders screen's tab of that name (app/routes/app.orders._index.tsx uses these
 * filters): the Overview counts with it and links to that tab, so the number and the list agree.
 */
import type { Prisma } from "@prisma/client";

/** Mirakl states after which an order goes nowhere. */
export const ENDED_MIRAKL_STATES = ["CANCELED", "REFUSED"];

/** Held for the merchant's accept/refuse decision, or held/failed on its way into Shopify. */
export const needsAttentionWhere: Prisma.OrderLinkWhereInput = { OR: [{ acceptanceStatus: "HELD" }, { importStatus: { in: ["HELD", "FAILED"] } }] };

/** Orders Mirakl refuses automatically if nobody decides: held for acceptance while Mirakl still waits for it. */
export const heldAtAcceptanceWhere: Prisma.OrderLinkWhereInput = { acceptanceStatus: "HELD", miraklState: "WAITING_ACCEPTANCE" };

/** Still moving towards Shopify without anyone's help (not imported, not ended, not needing attention). */
export const onTheirWayWhere: Prisma.OrderLinkWhereInput = {
  importStatus: { in: ["WAITING", "READY", "IMPORTING"] },
  miraklState: { notIn: ENDED_MIRAKL_STATES },
  NOT: needsAttentionWhere,
};

export const needsAttentionUrl = (connectionId: string) => `/app/orders?connection=${encodeURIComponent(connectionId)}&status=needs_attention`;
