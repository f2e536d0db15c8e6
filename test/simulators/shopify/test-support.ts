/**
 * Helpers for the simulator's own tests (and any test talking to it): a GraphQL call over real HTTP, a seeded shop,
 * and a webhook receiver that records raw bodies and headers.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ShopifySimulator } from "./simulator";

export interface GqlResponse {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; extensions?: Record<string, any>; path?: Array<string | number> }> | string;
    extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } }; search?: unknown };
  };
}

export async function gql(
  sim: ShopifySimulator,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  opts: { version?: string; signal?: AbortSignal } = {},
): Promise<GqlResponse> {
  const res = await fetch(`${sim.url}/admin/api/${opts.version ?? "2026-04"}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
    signal: opts.signal,
  });
  return { status: res.status, body: (await res.json()) as GqlResponse["body"] };
}

export const SHOP = "mirakl-test.myshopify.com";
export const TOKEN = "shpat_test_token";

/** Two locations, three SKUs; SKU-B is only stocked at the second location. */
export function seedShop(sim: ShopifySimulator, overrides: { domain?: string; accessToken?: string; plan?: "standard" | "plus" | "development" } = {}) {
  return sim.control.createShop({
    domain: overrides.domain ?? SHOP,
    accessToken: overrides.accessToken ?? TOKEN,
    plan: overrides.plan ?? "standard",
    currency: "EUR",
    locations: [{ name: "Paris" }, { name: "Lyon" }],
    products: [
      {
        title: "T-shirt",
        variants: [
          { sku: "SKU-A", price: "19.90", inventory: { Paris: 5, Lyon: 2 } },
          { sku: "SKU-B", price: "24.00", inventory: { Lyon: 1 } },
        ],
      },
      { title: "Mug", variants: [{ sku: "SKU-C", price: "8.50", inventory: { Paris: 100 }, tracked: true }] },
    ],
  });
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  status: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer for the next requests (consumed first), then 200. */
  failNext(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const queue: number[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = queue.shift() ?? 200;
      received.push({ path: req.url ?? "", headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status).end();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (statuses) => queue.push(...statuses),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const ORDER_CREATE = `#graphql
  mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order {
        id
        name
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalShippingPriceSet { shopMoney { amount } }
        totalTaxSet { shopMoney { amount } }
        totalPriceSet { shopMoney { amount currencyCode } }
        lineItems(first: 10) { nodes { id sku quantity originalUnitPriceSet { shopMoney { amount } } taxLines { title rate priceSet { shopMoney { amount } } } } }
      }
      userErrors { field message code }
    }
  }`;

export function miraklOrderInput(variantId: string, opts: { quantity?: number; sourceIdentifier?: string } = {}) {
  return {
    currency: "EUR",
    email: "buyer@example.com",
    sourceName: "mirakl",
    sourceIdentifier: opts.sourceIdentifier ?? "MK-1001-A",
    tags: ["mirakl", "marketplace:decathlon"],
    processedAt: "2026-03-01T10:00:00Z",
    shippingAddress: { firstName: "Ana", lastName: "Martin", address1: "3 rue Oberkampf", city: "Paris", zip: "75011", countryCode: "FR" },
    lineItems: [
      {
        variantId,
        quantity: opts.quantity ?? 2,
        priceSet: { shopMoney: { amount: "17.49", currencyCode: "EUR" } },
        taxLines: [{ title: "TVA", rate: "0.2", priceSet: { shopMoney: { amount: "5.83", currencyCode: "EUR" } } }],
      },
    ],
    shippingLines: [
      {
        title: "Colissimo",
        priceSet: { shopMoney: { amount: "4.90", currencyCode: "EUR" } },
        taxLines: [{ title: "TVA", rate: "0.2", priceSet: { shopMoney: { amount: "0.82", currencyCode: "EUR" } } }],
      },
    ],
    metafields: [{ namespace: "mirakl", key: "order_id", value: opts.sourceIdentifier ?? "MK-1001-A", type: "single_line_text_field" }],
    financialStatus: "PAID",
  };
}
