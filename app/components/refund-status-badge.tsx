import { Badge } from "@shopify/polaris";

const TONES: Record<string, "success" | "warning" | "critical" | "info" | "attention" | undefined> = {
  OPEN: "attention",
  SENDING: "info",
  SENT: "success",
  DONE_IN_PORTAL: "success",
  FAILED: "critical",
  NOT_NEEDED: undefined,
};

/** A refund request's status as CX reads it (labels from app/sync/adjustments/refund-requests.server.ts). */
export function RefundStatusBadge({ status, label }: { status: string; label: string }) {
  return <Badge tone={TONES[status]}>{label}</Badge>;
}
