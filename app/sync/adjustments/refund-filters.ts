/** The tabs of the Refunds screen (shared by the route's component and the server-side query). */
export const REFUND_FILTERS = ["open", "sent", "portal", "all"] as const;
export type RefundFilter = (typeof REFUND_FILTERS)[number];

export const REFUND_FILTER_STATUSES: Record<RefundFilter, string[] | null> = {
  open: ["OPEN", "SENDING", "FAILED"],
  sent: ["SENT"],
  portal: ["DONE_IN_PORTAL"],
  all: null,
};
