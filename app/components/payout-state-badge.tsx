import { Badge } from "@shopify/polaris";
import { payoutStateLabel } from "../sync/payouts/payout-state";

/** Mirakl's pay_out.state (TO_PAY | PAID | FAILED) as a merchant reads it; the CSV writes the same label. */
export function PayoutStateBadge({ state }: { state: string | null }) {
  const tone = state === "PAID" ? "success" : state === "FAILED" ? "critical" : state === "TO_PAY" ? "attention" : undefined;
  return <Badge tone={tone}>{payoutStateLabel(state) ?? "Unknown"}</Badge>;
}
