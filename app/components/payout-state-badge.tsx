import { Badge } from "@shopify/polaris";

/** Mirakl's pay_out.state (TO_PAY | PAID | FAILED) as a merchant reads it. */
export function PayoutStateBadge({ state }: { state: string | null }) {
  if (state === "PAID") return <Badge tone="success">Paid</Badge>;
  if (state === "FAILED") return <Badge tone="critical">Payout failed</Badge>;
  if (state === "TO_PAY") return <Badge tone="attention">To be paid</Badge>;
  return <Badge>{state ?? "Unknown"}</Badge>;
}
