/**
 * What each background job does, in the merchant's words, for the Task raised when one fails for good
 * ("Couldn't check Joules for new orders"). Job names (`orders.poll`) are internal and never shown.
 * `{marketplace}` is replaced by the connection's name. job-labels.test.ts checks every registered job has one.
 */
export const JOB_LABELS: Record<string, string> = {
  "webhook.process": "process an update from Shopify",
  "scheduler.tick": "start the scheduled sync",
  "connection.refresh-settings": "refresh {marketplace}'s settings",
  "orders.poll": "check {marketplace} for new orders",
  "orders.backfill": "re-check recent {marketplace} orders",
  "orders.accept": "accept a {marketplace} order",
  "orders.import": "create a {marketplace} order in Shopify",
  "orders.write-reference": "send the Shopify order number to {marketplace}",
  "orders.escalate": "check the deadlines of held {marketplace} orders",
  "orders.cancel-in-shopify": "cancel a {marketplace} order in Shopify",
  "orders.notify": "apply a change to a {marketplace} order",
  "catalogue.sync": "match {marketplace} offers to Shopify products",
  "fulfilment.push": "send shipment tracking to {marketplace}",
  "fulfilment.release-held": "send the shipments that waited for a carrier mapping to {marketplace}",
  "fulfilment.mirror-portal-shipment": "copy a shipment made in the {marketplace} back office to Shopify",
  "fulfilment.unacknowledged-report": "check that {marketplace} received every shipment",
  "inventory.push": "send stock levels to {marketplace}",
  "inventory.import-status": "check how {marketplace} applied a stock update",
  "inventory.reconcile": "compare Shopify stock with {marketplace}",
  "adjustments.send": "send an order change to {marketplace}",
  "adjustments.decide-cancel": "pass a Shopify cancellation on to {marketplace}",
  "adjustments.send-refund": "send a refund to {marketplace}",
  "adjustments.mirror-portal-refunds": "copy refunds made in the {marketplace} back office to Shopify",
  "payouts.sync": "download {marketplace} payouts",
};

/** "check Joules for new orders"; an unknown name (a job added without a label) still reads as words. */
export function describeJob(name: string, marketplace?: string | null): string {
  const label = JOB_LABELS[name] ?? `run a background step (${name.replace(/[.-]/g, " ")})`;
  return label.replaceAll("{marketplace}", marketplace || "the marketplace");
}
