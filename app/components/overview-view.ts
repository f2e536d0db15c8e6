/** Wording of the Overview's marketplace cards. Pure, so it is unit-tested (overview-view.test.ts). */
import { formatDuration } from "../sync/orders/order-tasks";

/** "Next auto-refusal in 1 h 12 min": when Mirakl refuses the first held order nobody decided on. */
export function nextAutoRefusalText(deadline: string | Date | null, now: Date): string | null {
  if (!deadline) return null;
  const left = new Date(deadline).getTime() - now.getTime();
  if (left <= 0) return "A held order is past its deadline and may be refused at any moment";
  return `Next auto-refusal in ${formatDuration(left)}`;
}

/** "1 order needs attention", "7 orders need attention". */
export function needsAttentionText(n: number): string {
  return n === 1 ? "1 order needs attention" : `${n} orders need attention`;
}
