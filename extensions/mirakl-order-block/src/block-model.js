// Pure view model of the Mirakl order block (no Shopify globals), so it can be unit-tested in the app's
// test suite (app/sync/adjustments/order-block-model.test.ts) and type-checked through block-model.d.ts.

const STATE_LABELS = {
  WAITING_ACCEPTANCE: "Waiting for acceptance",
  WAITING_DEBIT: "Waiting for payment",
  WAITING_DEBIT_PAYMENT: "Waiting for payment",
  SHIPPING: "To ship",
  SHIPPED: "Shipped",
  TO_COLLECT: "To collect",
  RECEIVED: "Received",
  CLOSED: "Closed",
  REFUSED: "Refused",
  CANCELED: "Cancelled",
};

const STATE_TONES = { SHIPPING: "warning", WAITING_ACCEPTANCE: "warning", REFUSED: "critical", CANCELED: "critical", SHIPPED: "success", RECEIVED: "success", CLOSED: "neutral" };

/** "23 Nov, 14:05 UTC" (the admin may run in any locale; UTC keeps deadlines unambiguous). */
export function formatDate(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" })} UTC`;
}

export function formatMoney(amount, currency) {
  if (amount === null || amount === undefined || amount === "") return "—";
  const n = Number(amount);
  if (!Number.isFinite(n)) return "—";
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: currency || "EUR" }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency ?? ""}`.trim();
  }
}

/** Relative to now: "overdue by 3 h", "in 2 days". */
export function deadlineHint(iso, now = new Date()) {
  if (!iso) return null;
  const diff = new Date(iso).getTime() - now.getTime();
  if (!Number.isFinite(diff)) return null;
  const hours = Math.round(Math.abs(diff) / 3_600_000);
  const text = hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
  return diff < 0 ? `overdue by ${text}` : `in ${text}`;
}

/** Links into the app from an admin extension use the `app:` protocol (relative to the app's URL). */
export function appLink(path) {
  return `app:${String(path || "").replace(/^\//, "")}`;
}

/**
 * What the block shows for the /api/order-block answer.
 * @returns {{ kind: "hidden" } | { kind: "order", heading: string, stateLabel: string, stateTone: string, facts: Array<{label: string, value: string}>, tasks: Array<{id: string, title: string, tone: string, href: string | null}>, refunds: Array<{id: string, label: string, href: string}>, replacedBy: string | null, refundsHref: string, canFlag: boolean }}
 */
export function describeBlock(data, now = new Date()) {
  if (!data || data.kind !== "mirakl") return { kind: "hidden" };
  const acceptance = data.acceptanceDeadline && data.miraklState === "WAITING_ACCEPTANCE" ? `${formatDate(data.acceptanceDeadline)} (${deadlineHint(data.acceptanceDeadline, now)})` : null;
  const shipping = data.shippingDeadline ? `${formatDate(data.shippingDeadline)}${data.miraklState === "SHIPPING" ? ` (${deadlineHint(data.shippingDeadline, now)})` : ""}` : "—";
  const facts = [
    { label: "Mirakl order", value: data.miraklCommercialId ? `${data.miraklOrderId} (customer order ${data.miraklCommercialId})` : data.miraklOrderId },
    ...(acceptance ? [{ label: "Accept by", value: acceptance }] : []),
    { label: "Ship by", value: shipping },
    { label: "Commission", value: formatMoney(data.commission, data.currency) },
  ];
  return {
    kind: "order",
    heading: data.marketplace,
    stateLabel: STATE_LABELS[data.miraklState] ?? String(data.miraklState).toLowerCase(),
    stateTone: STATE_TONES[data.miraklState] ?? "neutral",
    facts,
    tasks: (data.openTasks ?? []).map((t) => ({ id: t.id, title: t.title, tone: t.severity === "critical" ? "critical" : t.severity === "warning" ? "warning" : "info", href: t.actionUrl && t.actionUrl.startsWith("/") ? appLink(t.actionUrl) : t.actionUrl ?? null })),
    refunds: (data.refunds ?? []).map((r) => ({ id: r.id, label: `${formatMoney(r.amount, data.currency)} · ${r.statusLabel}`, href: appLink(r.url) })),
    replacedBy: data.replacedBy ? data.replacedBy.name ?? data.replacedBy.id : null,
    refundsHref: appLink(data.appUrls?.refunds ?? "/app/refunds"),
    canFlag: !data.replacedBy,
  };
}

/** The body of "Flag a Mirakl refund task". */
export function flagRequest(orderId, note) {
  const trimmed = String(note ?? "").trim();
  return { orderId, ...(trimmed ? { note: trimmed.slice(0, 500) } : {}) };
}
