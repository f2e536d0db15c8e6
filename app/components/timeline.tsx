import { Badge, BlockStack, InlineStack, Text, Tooltip } from "@shopify/polaris";
import { formatDateTime } from "./format";
import { timelineText } from "../sync/orders/order-views";

export interface TimelineItem {
  id: string;
  kind: string;
  level: string;
  message: string;
  createdAt: string;
  data?: unknown;
}

const TONE: Record<string, "success" | "warning" | "critical" | "info"> = { success: "success", warning: "warning", error: "critical", info: "info" };

/**
 * A per-entity timeline (SyncEvent rows), newest first, as the order and SKU screens show it. Messages are shown
 * in plain words (timelineText): Mirakl operation codes only in a tooltip, dates in the shop's zone (`timeZone`,
 * the same on server and client, so hydration never differs).
 */
export function Timeline({ items, empty = "Nothing has happened yet.", timeZone = "UTC" }: { items: TimelineItem[]; empty?: string; timeZone?: string }) {
  if (items.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  return (
    <ol style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="timeline">
      {items.map((e) => {
        const { text, codes } = timelineText(e.message, timeZone);
        const badge = <Badge tone={TONE[e.level] ?? "info"}>{e.kind.replace(/_/g, " ")}</Badge>;
        return (
          <li key={e.id} style={{ borderLeft: "2px solid var(--p-color-border-secondary)", padding: "0 0 12px 12px" }} data-testid="timeline-entry">
            <BlockStack gap="050">
              <InlineStack gap="200" blockAlign="center">
                {codes.length > 0 ? <Tooltip content={`Mirakl API: ${codes.join(", ")}`}>{badge}</Tooltip> : badge}
                <Text as="span" variant="bodySm" tone="subdued">
                  {formatDateTime(e.createdAt, timeZone)}
                </Text>
              </InlineStack>
              <Text as="p" variant="bodyMd" breakWord>
                {text}
              </Text>
            </BlockStack>
          </li>
        );
      })}
    </ol>
  );
}
