import { Badge, Text } from "@shopify/polaris";
import { fromGid } from "../shopify/gid";
import { miraklStateLabel } from "../sync/orders/order-views";

export { miraklStateLabel };

type Tone = "success" | "critical" | "warning" | "attention" | "info" | undefined;

const ACCEPTANCE: Record<string, { tone: Tone; label: string }> = {
  PENDING: { tone: "attention", label: "Awaiting acceptance" },
  ACCEPTED: { tone: "success", label: "Accepted" },
  PARTIALLY_ACCEPTED: { tone: "warning", label: "Partly accepted" },
  REFUSED: { tone: "critical", label: "Refused" },
  HELD: { tone: "critical", label: "Held for review" },
  NOT_REQUIRED: { tone: undefined, label: "Accepted by marketplace" },
};

const IMPORT: Record<string, { tone: Tone; label: string }> = {
  WAITING: { tone: undefined, label: "Waiting for payment" },
  READY: { tone: "info", label: "Ready to import" },
  IMPORTING: { tone: "info", label: "Importing" },
  IMPORTED: { tone: "success", label: "In Shopify" },
  HELD: { tone: "critical", label: "Held" },
  FAILED: { tone: "critical", label: "Import failed" },
  NOT_IMPORTED: { tone: undefined, label: "Not imported" },
};

export function AcceptanceBadge({ status }: { status: string }) {
  const b = ACCEPTANCE[status] ?? { tone: undefined, label: status };
  return <Badge tone={b.tone}>{b.label}</Badge>;
}

/** The import column: "—" (null) until the order is accepted, since nothing is waiting to be imported before that. */
export function ImportBadge({ status }: { status: string | null }) {
  if (status === null) return <Text as="span" tone="subdued">—</Text>;
  const b = IMPORT[status] ?? { tone: undefined, label: status };
  return <Badge tone={b.tone}>{b.label}</Badge>;
}

/** The order in the Shopify admin: https://admin.shopify.com/store/<store>/orders/<numeric id>. */
export function shopifyAdminOrderUrl(shop: string, shopifyOrderId: string | null): string | null {
  if (!shopifyOrderId) return null;
  try {
    const { type, id } = fromGid(shopifyOrderId);
    if (type !== "Order") return null;
    return `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}/orders/${id}`;
  } catch {
    return null;
  }
}

/** Whether the acceptance clock still matters: the order waits for (our) decision on the marketplace. */
export function acceptanceCountdownApplies(o: { miraklState: string; acceptanceStatus: string; acceptanceDeadline: string | Date | null }): boolean {
  return !!o.acceptanceDeadline && o.miraklState === "WAITING_ACCEPTANCE" && (o.acceptanceStatus === "PENDING" || o.acceptanceStatus === "HELD");
}
