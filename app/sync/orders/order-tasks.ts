/**
 * The Tasks this flow raises, in plain language: what happened, what it costs, what to do. Dedupe keys are
 * stable so raising is idempotent and the code that clears the cause resolves them by the same key.
 */
import type { RaiseTaskInput } from "../tasks.server";
import { holdCodeOf, parseDecision } from "./acceptance-policy";
import { formatDateTime } from "../../components/format";

export const orderTaskKeys = {
  heldOrder: (connectionId: string, miraklOrderId: string) => `held-order:${connectionId}:${miraklOrderId}`,
  unmappedSku: (connectionId: string, offerSku: string) => `unmapped-sku:${connectionId}:${offerSku}`,
  duplicateOrders: (connectionId: string, miraklOrderId: string) => `duplicate-order:${connectionId}:${miraklOrderId}`,
  importFailed: (connectionId: string, miraklOrderId: string) => `import-failed:${connectionId}:${miraklOrderId}`,
  totalsDiffer: (connectionId: string, miraklOrderId: string) => `totals-differ:${connectionId}:${miraklOrderId}`,
  cancelFailed: (connectionId: string, miraklOrderId: string) => `cancel-failed:${connectionId}:${miraklOrderId}`,
  autoRefused: (connectionId: string) => `auto-refused:${connectionId}`,
};

export const orderUrl = (orderLinkId: string) => `/app/orders/${orderLinkId}`;
export const skuUrl = (connectionId: string, offerSku: string) => `/app/skus?connection=${encodeURIComponent(connectionId)}&q=${encodeURIComponent(offerSku)}`;
/** The SKU screen's "Holding orders" tab (app/sync/catalogue/sku-filters.ts). */
export const skusHoldingOrdersUrl = (connectionId: string) => `/app/skus?connection=${encodeURIComponent(connectionId)}&status=holding_orders`;

/** "2 h 05 min", "45 min", "less than a minute". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return "less than a minute";
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(mins).padStart(2, "0")} min`;
  return `${mins} min`;
}

/** The deadline as the Tasks screen shows every date: in the shop's zone (shopTimeZone), naming the zone. */
export function formatDeadline(at: Date, timeZone = "UTC"): string {
  return formatDateTime(at, timeZone);
}

interface ConnectionRef {
  id: string;
  shop: string;
  name: string;
}
interface LinkRef {
  id: string;
  miraklOrderId: string;
  acceptanceDeadline: Date | null;
}

/** A held order as the acceptance flow stores it: why it is held (`CODE: summary`) and the per-line checks. */
interface HeldLinkRef extends LinkRef {
  holdReason?: string | null;
  acceptanceDecision?: unknown;
}

type OrderTaskKey = (connectionId: string, miraklOrderId: string) => string;

/** Line checks that only the SKU mapping screen fixes (link the SKU, pick one of several variants, un-ignore it). */
const MAPPING_CHECKS: ReadonlySet<string> = new Set(["unmapped", "ambiguous", "ignored"]);

/**
 * The SKUs whose mapping alone releases this held order, or [] when anything else holds it too (stock, a review
 * policy, Shopify not answering) or the stored decision does not say. Only holds that releaseOrdersHeldForSku
 * (quarantine.server.ts) decides afresh count: an order held for review stays with its reviewer whatever the SKU.
 */
export function skusOnlyMappingReleases(link: { holdReason?: string | null; acceptanceDecision?: unknown }): string[] {
  const code = holdCodeOf(link.holdReason);
  if (code !== "LINES_FAILING" && code !== "PARTIAL_DISABLED") return [];
  const lines = parseDecision(link.acceptanceDecision);
  // Rows decided before lines carried their check cannot tell an unlinked SKU from a stock shortage.
  if (!lines || lines.some((l) => l.check === undefined)) return [];
  const failing = lines.filter((l) => l.check !== "ok");
  if (failing.length === 0 || !failing.every((l) => MAPPING_CHECKS.has(l.check ?? ""))) return [];
  return [...new Set(failing.map((l) => l.offerSku))];
}

/** "SCARF-RED", "SCARF-RED and HAT-BLUE", "SCARF-RED, HAT-BLUE and TOTE". */
function listSkus(skus: readonly string[]): string {
  return skus.length <= 1 ? (skus[0] ?? "") : `${skus.slice(0, -1).join(", ")} and ${skus[skus.length - 1]}`;
}

/**
 * The part every task about one marketplace order shares: scoped to its connection, deduplicated per Mirakl order
 * (so the code that clears the cause finds it by the same key), and its action opens the order's page.
 */
function orderTask(
  connection: ConnectionRef,
  link: LinkRef,
  key: OrderTaskKey,
  task: Pick<RaiseTaskInput, "kind" | "severity" | "title" | "body" | "dueAt"> & { actionLabel: string; actionUrl?: string },
): RaiseTaskInput {
  return {
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: key(connection.id, link.miraklOrderId),
    ...task,
    actionUrl: task.actionUrl ?? orderUrl(link.id),
    entityType: "order",
    entityId: link.id,
  };
}

/**
 * A held order. When unlinked SKUs are all that holds it, the action is the fix itself (map the SKU) rather than
 * the order page: the mapping releases it and every other order held on the same SKU (mapping-effects.server.ts),
 * where "Review order" sent the merchant to six order pages that each say the same thing. The task model has a
 * single action, so the order itself is named in the body for those who would rather decide it by hand.
 */
export function heldOrderTask(input: { connection: ConnectionRef; link: HeldLinkRef; summary: string; now: Date; escalated: boolean; timeZone?: string }): RaiseTaskInput {
  const { connection, link, now, timeZone } = input;
  const deadline = link.acceptanceDeadline;
  const left = deadline ? deadline.getTime() - now.getTime() : null;
  const when =
    deadline === null
      ? "before the marketplace's acceptance window closes"
      : left !== null && left > 0
        ? `by ${formatDeadline(deadline, timeZone)} (${formatDuration(left)} left)`
        : `now: the deadline (${formatDeadline(deadline, timeZone)}) has passed and ${connection.name} may refuse it at any moment`;
  const toMap = skusOnlyMappingReleases(link);
  return orderTask(connection, link, orderTaskKeys.heldOrder, {
    kind: "held_order",
    severity: input.escalated ? "critical" : "warning",
    title: input.escalated && left !== null
      ? `${left > 0 ? `${formatDuration(left)} left` : "Deadline passed"} to accept ${connection.name} order ${link.miraklOrderId}`
      : `Accept or refuse ${connection.name} order ${link.miraklOrderId}`,
    body:
      `${connection.name} order ${link.miraklOrderId} was not accepted automatically: ${input.summary}. ` +
      `Decide ${when}. If nobody does, ${connection.name} refuses the order automatically: the sale is lost and the refusal counts against your seller rating. ` +
      (toMap.length > 0
        ? `Map ${listSkus(toMap)} to ${toMap.length === 1 ? "its" : "their"} Shopify variant${toMap.length === 1 ? "" : "s"} on the SKU mapping screen: mapping releases the order automatically ` +
          `(it is checked again and accepted if the stock is there), along with every other order waiting for ${toMap.length === 1 ? "that SKU" : "those SKUs"}. ` +
          `To accept or refuse it yourself instead, open order ${link.miraklOrderId} from the Orders screen.`
        : `Open the order to accept or refuse it.`),
    ...(toMap.length === 0
      ? { actionLabel: "Review order" }
      : toMap.length === 1
        ? { actionLabel: `Map ${toMap[0]}`, actionUrl: skuUrl(connection.id, toMap[0]!) }
        : { actionLabel: `Map ${toMap.length} SKUs`, actionUrl: skusHoldingOrdersUrl(connection.id) }),
    dueAt: deadline,
  });
}

export function unmappedSkuTask(input: { connection: ConnectionRef; offerSku: string; problem: "unmapped" | "ambiguous" | "ignored"; heldOrders: number; exampleOrderLinkId: string }): RaiseTaskInput {
  const { connection, offerSku } = input;
  const why =
    input.problem === "ambiguous"
      ? `several Shopify variants use the SKU ${offerSku}, so it is not clear which one was sold`
      : input.problem === "ignored"
        ? `the SKU ${offerSku} is marked as ignored in the SKU mapping`
        : `no Shopify variant has the SKU ${offerSku}`;
  return {
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: orderTaskKeys.unmappedSku(connection.id, offerSku),
    kind: "unmapped_sku",
    severity: "critical",
    title: `Link ${connection.name} SKU ${offerSku} to a Shopify product`,
    body:
      `${input.heldOrders} paid ${connection.name} order(s) contain ${offerSku} and are waiting outside Shopify because ${why}. ` +
      `Nothing is picked or shipped until they are in Shopify, and the shipping deadline keeps running. ` +
      `Link the SKU to the right variant: the waiting orders are then imported automatically.`,
    actionLabel: "Link SKU",
    actionUrl: skuUrl(connection.id, offerSku),
    entityType: "sku",
    entityId: `${connection.id}:${offerSku}`,
    data: { offerSku, exampleOrderLinkId: input.exampleOrderLinkId },
  };
}

export function duplicateOrdersTask(input: { connection: ConnectionRef; link: LinkRef; names: string[] }): RaiseTaskInput {
  const { connection, link } = input;
  return orderTask(connection, link, orderTaskKeys.duplicateOrders, {
    kind: "duplicate_order",
    severity: "critical",
    title: `${connection.name} order ${link.miraklOrderId} is in Shopify ${input.names.length} times`,
    body:
      `Shopify holds ${input.names.length} orders for ${connection.name} order ${link.miraklOrderId} (${input.names.join(", ")}). ` +
      `Shipping both would send the goods twice. The app linked the oldest (${input.names[0] ?? "?"}) and created no other. ` +
      `Cancel the extra order(s) in Shopify with restock, without notifying the customer.`,
    actionLabel: "Review order",
  });
}

export function importFailedTask(input: { connection: ConnectionRef; link: LinkRef; message: string }): RaiseTaskInput {
  const { connection, link } = input;
  return orderTask(connection, link, orderTaskKeys.importFailed, {
    kind: "import_failed",
    severity: "critical",
    title: `${connection.name} order ${link.miraklOrderId} could not be created in Shopify`,
    body:
      `Shopify refused the order: ${input.message}. It is paid on ${connection.name} and waiting to be shipped, but it is not in Shopify, so nobody will pick it. ` +
      `Fix what Shopify reports (for example a deleted product or location), then use Retry on the order.`,
    actionLabel: "Retry",
  });
}

export function totalsDifferTask(input: { connection: ConnectionRef; link: LinkRef; shopifyTotal: string; miraklTotal: string; currency: string }): RaiseTaskInput {
  const { connection, link } = input;
  return orderTask(connection, link, orderTaskKeys.totalsDiffer, {
    kind: "totals_differ",
    severity: "warning",
    title: `Totals of ${connection.name} order ${link.miraklOrderId} differ between Mirakl and Shopify`,
    body:
      `The order was imported with Mirakl's prices, but Shopify's total (${input.shopifyTotal} ${input.currency}) differs from what ${connection.name} collected ` +
      `(${input.miraklTotal} ${input.currency}), probably because of marketplace fees that Shopify has no line for. Check the order before reconciling the payout.`,
    actionLabel: "Review order",
  });
}

export function cancelFailedTask(input: { connection: ConnectionRef; link: LinkRef & { shopifyOrderName: string | null }; message: string }): RaiseTaskInput {
  const { connection, link } = input;
  return orderTask(connection, link, orderTaskKeys.cancelFailed, {
    kind: "cancel_failed",
    severity: "critical",
    title: `Cancel Shopify order ${link.shopifyOrderName ?? ""} by hand: ${connection.name} cancelled it`.replace("  ", " "),
    body:
      `${connection.name} cancelled order ${link.miraklOrderId} (or some of its lines), but the Shopify order could not be changed: ${input.message}. ` +
      `If it ships, the customer gets goods they no longer pay for. Stop the shipment and cancel or edit the Shopify order (restock, no customer email).`,
    actionLabel: "Review order",
  });
}

export function autoRefusedTask(input: { connection: ConnectionRef; count: number; lastMiraklOrderId: string }): RaiseTaskInput {
  const { connection } = input;
  return {
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: orderTaskKeys.autoRefused(connection.id),
    kind: "auto_refused",
    severity: "warning",
    title: `${input.count} ${connection.name} order(s) were refused automatically`,
    body:
      `${connection.name} refused ${input.count} order(s) because nobody accepted them in time (the latest: ${input.lastMiraklOrderId}). ` +
      `Each one is a lost sale and counts against your seller rating. Keep SKUs linked and stock up to date so orders are accepted automatically, ` +
      `and act on held orders before their deadline.`,
    actionLabel: "See orders",
    actionUrl: `/app/orders?connection=${encodeURIComponent(connection.id)}&status=cancelled`, // the Orders screen's Cancelled tab lists refused orders
    entityType: "connection",
    entityId: connection.id,
    data: { count: input.count },
  };
}
