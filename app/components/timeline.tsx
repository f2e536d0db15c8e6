import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import { formatDateTime } from "./format";

export interface TimelineItem {
  id: string;
  kind: string;
  level: string;
  message: string;
  createdAt: string;
  data?: unknown;
}

const TONE: Record<string, "success" | "warning" | "critical" | "info"> = { success: "success", warning: "warning", error: "critical", info: "info" };

/** A per-entity timeline (SyncEvent rows), newest first, as the order and SKU screens show it. */
export function Timeline({ items, empty = "Nothing has happened yet." }: { items: TimelineItem[]; empty?: string }) {
  if (items.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  return (
    <ol style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="timeline">
      {items.map((e) => (
        <li key={e.id} style={{ borderLeft: "2px solid var(--p-color-border-secondary)", padding: "0 0 12px 12px" }} data-testid="timeline-entry">
          <BlockStack gap="050">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={TONE[e.level] ?? "info"}>{e.kind.replace(/_/g, " ")}</Badge>
              <Text as="span" variant="bodySm" tone="subdued">
                {formatDateTime(e.createdAt)}
              </Text>
            </InlineStack>
            <Text as="p" variant="bodyMd">
              {e.message}
            </Text>
          </BlockStack>
        </li>
      ))}
    </ol>
  );
}
