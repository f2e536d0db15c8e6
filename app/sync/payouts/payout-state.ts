/**
 * Mirakl's pay_out.state (TO_PAY | PAID | FAILED) as a merchant reads it: the payout screens' badge and the CSV
 * finance downloads say the same words. An unknown state is shown as Mirakl sent it rather than hidden.
 */
const PAYOUT_STATE_LABELS: Record<string, string> = {
  TO_PAY: "To be paid",
  PAID: "Paid",
  FAILED: "Payout failed",
};

export function payoutStateLabel(state: string | null): string | null {
  if (state === null) return null;
  return PAYOUT_STATE_LABELS[state] ?? state;
}
