import { Badge, BlockStack, InlineStack, Text, Tooltip } from "@shopify/polaris";
import { formatDateTime } from "./format";
import { codePhrase, timelineText } from "../sync/orders/order-views";

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
 * Badge words for every SyncEvent kind the sync flows record (grep `kind: "` in app/sync): the kinds are stable
 * identifiers for code and queries, not text a merchant should read ("portal_shipment_mirrored").
 */
export const TIMELINE_KIND_LABELS: Record<string, string> = {
  // orders: first sight, Mirakl's state, acceptance
  seen: "Received",
  state: "Status changed",
  decision: "Decision",
  accepted: "Accepted",
  refused: "Refused",
  auto_refused: "Refused automatically",
  acceptance_confirmed: "Acceptance confirmed",
  acceptance_failed: "Acceptance failed",
  decided_outside: "Decided in Mirakl",
  held: "On hold",
  released: "Released",
  escalated: "Escalated",
  retry: "Retried",
  invalid: "Invalid",
  cancelled: "Cancelled",
  cancelled_before_acceptance: "Cancelled before acceptance",
  not_imported: "Not imported",
  line_refused: "Line refused",
  line_cancelled: "Line cancelled",
  line_reduced: "Line reduced",
  // import into Shopify
  imported: "Imported",
  import_failed: "Import failed",
  import_retry: "Import retried",
  failed: "Failed",
  seller_references_sent: "Reference sent",
  reference_failed: "Reference not sent",
  // cancellations, edits and replacements made in Shopify
  shopify_cancelled: "Cancelled in Shopify",
  shopify_cancel_failed: "Shopify cancel failed",
  shopify_lines_reduced: "Lines reduced in Shopify",
  shopify_order_cancelled: "Shopify order cancelled",
  shopify_order_replaced: "Shopify order replaced",
  duplicate_shopify_order: "Duplicate Shopify order",
  edit_received: "Edited in Shopify",
  edit_in_step: "Edit already in Mirakl",
  edit_locked: "Edit not possible",
  edit_not_on_mirakl: "Edit not sent to Mirakl",
  adjustment_needs_person: "Needs a person",
  adjustment_refused: "Change refused by Mirakl",
  mirakl_cancelled: "Cancelled in Mirakl",
  mirakl_lines_cancelled: "Lines cancelled in Mirakl",
  // refunds
  refund_received: "Refunded in Shopify",
  refund_sent: "Refund sent",
  refund_refused: "Refund refused",
  refund_not_on_mirakl: "Refund not sent to Mirakl",
  refund_covered_by_cancellation: "Covered by cancellation",
  refund_done_in_portal: "Refunded in Mirakl",
  refund_flagged: "Refund flagged",
  portal_refund_seen: "Refund made in Mirakl",
  portal_refund_mirrored: "Mirakl refund recorded",
  pending: "Pending",
  // fulfilment and tracking
  fulfilment_received: "Fulfilled in Shopify",
  fulfilment_extra_items: "Extra items fulfilled",
  fulfilment_cancelled: "Fulfilment cancelled",
  fulfilment_for_dead_order: "Fulfilled after cancellation",
  fulfilment_held: "Fulfilment on hold",
  fulfilment_released: "Fulfilment released",
  fulfilment_waiting: "Fulfilment waiting",
  fulfilment_push_failed: "Tracking not sent",
  tracking_sent: "Tracking sent",
  tracking_changed: "Tracking changed",
  tracking_edited: "Tracking edited",
  tracking_refused: "Tracking refused",
  tracking_change_held: "Tracking change on hold",
  tracking_change_refused: "Tracking change refused",
  shipment_sent: "Shipment sent",
  shipment_found: "Shipment already in Mirakl",
  shipment_waiting: "Waiting to ship",
  shipment_confirmed: "Shipped",
  shipment_already_confirmed: "Already shipped",
  shipment_refused: "Shipment refused",
  portal_shipment_mirrored: "Shipped in Mirakl",
  portal_shipment_not_mirrored: "Mirakl shipment not copied",
  carrier_mapped: "Carrier linked",
  carrier_auto_mapped: "Carrier linked automatically",
  // SKUs, stock and connections (other timelines)
  safety_stock_override: "Safety stock changed",
  sku_csv_imported: "Imported from CSV",
  invalid_file: "Invalid file",
  catalogue_sync_requested: "Catalogue sync requested",
  catalogue_synced: "Catalogue synced",
  catalogue_sync_failed: "Catalogue sync failed",
  stock_sent: "Stock sent",
  stock_drift: "Stock differs",
  stock_reconciled: "Stock checked",
  stock_rule_changed: "Stock rule changed",
  stock_import_complete: "Stock import done",
  stock_import_failed: "Stock import failed",
  stock_line_refused: "Stock line refused",
  processed: "Processed",
  ignored: "Ignored",
  connected: "Connected",
  unreachable: "Unreachable",
  error: "Error",
  paused: "Paused",
  resumed: "Resumed",
};

/** A timeline badge's words: the kind's label, or an unknown kind as a capitalised phrase ("Some new kind"). */
export function timelineKindLabel(kind: string): string {
  return TIMELINE_KIND_LABELS[kind] ?? (codePhrase(kind) || "Event");
}

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
        const badge = <Badge tone={TONE[e.level] ?? "info"}>{timelineKindLabel(e.kind)}</Badge>;
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
