/**
 * OR11 list orders: filters, dateCreated sort, offset pagination with total_count and an RFC-5988 Link header
 * (notes §1.5, §2.1), start_update_date moved back by a skew so pollers re-receive recent orders (gotcha 14).
 */
import { renderOrder, type OrderJson } from "./order-view";
import { buildLinkHeader, parseOffsetParams } from "./offset-pagination";
import { parseBooleanParam, parseDateParam, parseMultiValues } from "./query-params";
import { badRequest } from "./sim-errors";
import type { SimState } from "./sim-state";
import { ORDER_STATES, type OrderState, type TaxMode } from "./types";

const PAYMENT_WORKFLOWS = ["PAY_ON_ACCEPTANCE", "PAY_ON_DELIVERY", "PAY_ON_DUE_DATE", "PAY_ON_SHIPMENT", "NO_CUSTOMER_PAYMENT_CONFIRMATION"];




export function listOrders({ state, shopId, query, baseUrl, path }: { state: SimState; shopId: number; query: URLSearchParams; baseUrl: string; path: string }): {
  body: { orders: OrderJson[]; total_count: number };
  link: string | null;
} {
  const ids = new Set(parseMultiValues({ query, name: "order_ids" }));
  const refsCustomer = new Set(parseMultiValues({ query, name: "order_references_for_customer" }));
  const refsSeller = new Set(parseMultiValues({ query, name: "order_references_for_seller" }));
  const channelCodes = parseMultiValues({ query, name: "channel_codes" });
  // Simulated orders carry no channel: channel_codes matches nothing and only_null_channel everything.
  parseBooleanParam({ query, name: "only_null_channel" });
  const stateCodes = parseMultiValues({ query, name: "order_state_codes" });
  for (const s of stateCodes) if (!ORDER_STATES.includes(s as OrderState)) throw badRequest(`The order state '${s}' is invalid for the parameter : order_state_codes`);
  const states = new Set(stateCodes);
  const startDate = parseDateParam({ query, name: "start_date" });
  const endDate = parseDateParam({ query, name: "end_date" });
  const startUpdateRaw = parseDateParam({ query, name: "start_update_date" });
  const startUpdate = startUpdateRaw === null ? null : startUpdateRaw - state.tenant.updateDateSkewMs;
  const endUpdate = parseDateParam({ query, name: "end_update_date" });
  const debited = parseBooleanParam({ query, name: "customer_debited" });
  const hasIncident = parseBooleanParam({ query, name: "has_incident" });
  const workflow = query.get("payment_workflow");
  if (workflow !== null && !PAYMENT_WORKFLOWS.includes(workflow)) throw badRequest(`The payment workflow '${workflow}' is invalid.`);
  const centers = parseMultiValues({ query, name: "fulfillment_center_code" });
  const taxModeRaw = query.get("order_tax_mode");
  if (taxModeRaw !== null && taxModeRaw !== "TAX_INCLUDED" && taxModeRaw !== "TAX_EXCLUDED") throw badRequest(`The order_tax_mode '${taxModeRaw}' is invalid.`);
  const sort = query.get("sort");
  if (sort !== null && sort !== "dateCreated") throw badRequest(`The sort field '${sort}' is not supported (dateCreated).`);
  const page = parseOffsetParams({ query });

  // Orders are stored per shop in creation order, which is OR11's dateCreated-then-id order.
  const all = state.ordersByShop.get(shopId) ?? [];
  const matches = all.filter(
    (o) =>
      (ids.size === 0 || ids.has(o.id)) &&
      (refsCustomer.size === 0 || refsCustomer.has(o.referenceForCustomer)) &&
      (refsSeller.size === 0 || (o.referenceForSeller !== null && refsSeller.has(o.referenceForSeller))) &&
      channelCodes.length === 0 &&
      (states.size === 0 || states.has(o.state)) &&
      (startDate === null || o.createdAt >= startDate) &&
      (endDate === null || o.createdAt <= endDate) &&
      (startUpdate === null || o.updatedAt >= startUpdate) &&
      (endUpdate === null || o.updatedAt <= endUpdate) &&
      (debited === null || (o.customerDebitedAt !== null) === debited) &&
      (hasIncident === null || hasIncident === false) &&
      (workflow === null || o.paymentWorkflow === workflow) &&
      (centers.length === 0 || centers.includes("DEFAULT")),
  );
  if (page.order === "desc") matches.reverse();
  const total = matches.length;
  const slice = page.paginate ? matches.slice(page.offset, page.offset + page.max) : matches;
  const taxMode = (taxModeRaw ?? undefined) as TaxMode | undefined;
  return {
    body: { orders: slice.map((order) => renderOrder({ state, order, taxMode })), total_count: total },
    link: page.paginate ? buildLinkHeader({ baseUrl, path, query, offset: page.offset, max: page.max, total }) : null,
  };
}
