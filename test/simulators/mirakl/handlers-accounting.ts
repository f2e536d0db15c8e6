/**
 * Accounting reads: TL02 transaction lines and SBC11 billing cycles (seek pagination).
 */
import { json, type ApiRoute } from "./api-context";
import { listBillingCycles, listTransactions } from "./accounting-views";

export const accountingRoutes: ApiRoute[] = [
  {
    operationId: "TL02",
    method: "GET",
    template: "/api/sellerpayment/transactions_logs",
    write: false,
    jsonBody: false,
    handle: ({ state, shop, query }) => json(200, listTransactions({ state, shopId: shop.shopId, query })),
  },
  {
    operationId: "SBC11",
    method: "GET",
    template: "/api/seller-billing-cycles",
    write: false,
    jsonBody: false,
    handle: ({ state, shop, query }) => json(200, listBillingCycles({ state, shopId: shop.shopId, query })),
  },
];
