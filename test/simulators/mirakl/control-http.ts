/**
 * The control API over HTTP, under /_sim (outside /api so the Mirakl contract is untouched). JSON in, JSON out;
 * no auth. Mirrors MiraklControl one to one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { MiraklControl } from "./control";
import { readBody, sendJson } from "./http-helpers";
import { MiraklApiError, badRequest } from "./sim-errors";
import type { CreateOrderInput, FaultConfig, GeneratorOptions, RefundInPortalLine, TenantConfig } from "./types";

const createOrderSchema = z
  .object({
    shopId: z.number().int().optional(),
    lines: z.array(z.object({ offerSku: z.string().min(1), quantity: z.number().int().positive(), unitPrice: z.number().nonnegative().optional(), productTitle: z.string().optional() }).strict()).min(1),
    shippingTypeCode: z.string().optional(),
    country: z.string().length(3).optional(),
    customer: z.record(z.string()).optional(),
    orderId: z.string().optional(),
    commercialId: z.string().optional(),
    debit: z.enum(["succeed", "fail"]).optional(),
  })
  .strict();

const shipSchema = z.object({ carrierCode: z.string().min(1), trackingNumber: z.string().min(1) }).strict();
const refundSchema = z
  .object({
    lines: z
      .array(
        z
          .object({
            orderLineId: z.string(),
            amount: z.number().nonnegative().optional(),
            shippingAmount: z.number().nonnegative().optional(),
            quantity: z.number().int().nonnegative().optional(),
            reasonCode: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(r.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
  return r.data;
}

async function jsonBody({ req }: { req: IncomingMessage }): Promise<unknown> {
  const text = (await readBody({ req })).toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
}

export async function handleControlRequest({ control, req, res, url }: { control: MiraklControl; req: IncomingMessage; res: ServerResponse; url: URL }): Promise<void> {
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/+$/, "");
  const orderAction = /^\/_sim\/orders\/([^/]+)(?:\/(customer-cancel|ship|refund))?$/.exec(path);
  const offerQuantity = /^\/_sim\/offers\/([^/]+)\/quantity$/.exec(path);
  const offerPath = /^\/_sim\/offers\/([^/]+)$/.exec(path);
  try {
    let out: { status: number; body: unknown };
    if (method === "GET" && path === "/_sim/state") out = { status: 200, body: control.snapshot() };
    else if (method === "GET" && path === "/_sim/stats") out = { status: 200, body: control.stats() };
    else if (method === "GET" && path === "/_sim/tenant") out = { status: 200, body: control.getTenant() };
    else if (method === "PATCH" && path === "/_sim/tenant") out = { status: 200, body: control.configure((await jsonBody({ req })) as Partial<TenantConfig>) };
    else if (method === "GET" && path === "/_sim/orders") out = { status: 200, body: { orders: control.listOrders() } };
    else if (method === "POST" && path === "/_sim/orders") out = { status: 201, body: control.createOrder(parse(createOrderSchema, await jsonBody({ req })) as CreateOrderInput) };
    else if (method === "GET" && orderAction && !orderAction[2]) {
      const order = control.getOrder(decodeURIComponent(orderAction[1] ?? ""));
      if (!order) throw new MiraklApiError(404, "Order not found");
      out = { status: 200, body: order };
    } else if (method === "POST" && orderAction?.[2] === "customer-cancel") {
      await readBody({ req });
      out = { status: 200, body: control.customerCancel(decodeURIComponent(orderAction[1] ?? "")) };
    } else if (method === "POST" && orderAction?.[2] === "ship") {
      out = { status: 200, body: control.shipInPortal(decodeURIComponent(orderAction[1] ?? ""), parse(shipSchema, await jsonBody({ req }))) };
    } else if (method === "POST" && orderAction?.[2] === "refund") {
      const { lines } = parse(refundSchema, await jsonBody({ req }));
      out = { status: 200, body: control.refundInPortal(decodeURIComponent(orderAction[1] ?? ""), lines as RefundInPortalLine[]) };
    } else if (method === "GET" && path === "/_sim/offers") out = { status: 200, body: { offers: control.getOffers() } };
    else if (method === "PUT" && offerPath) {
      const body = parse(z.object({ quantity: z.number().int().nonnegative(), price: z.number().nonnegative(), productTitle: z.string().optional(), shopId: z.number().int().optional() }).strict(), await jsonBody({ req }));
      out = { status: 200, body: control.upsertOffer({ sku: decodeURIComponent(offerPath[1] ?? ""), ...body }) };
    } else if (method === "PUT" && offerQuantity) {
      const { quantity, shopId } = parse(z.object({ quantity: z.number().int().nonnegative(), shopId: z.number().int().optional() }).strict(), await jsonBody({ req }));
      out = { status: 200, body: control.setOfferQuantity(decodeURIComponent(offerQuantity[1] ?? ""), quantity, { shopId }) };
    } else if (method === "GET" && path === "/_sim/clock") out = { status: 200, body: { now: control.now().toISOString() } };
    else if (method === "POST" && path === "/_sim/clock/advance") {
      const { ms } = parse(z.object({ ms: z.number().nonnegative() }).strict(), await jsonBody({ req }));
      out = { status: 200, body: control.advanceClock(ms) };
    } else if (method === "POST" && path === "/_sim/faults") {
      control.setFaults((await jsonBody({ req })) as FaultConfig);
      out = { status: 200, body: { ok: true } };
    } else if (method === "DELETE" && path === "/_sim/faults") {
      control.clearFaults();
      out = { status: 200, body: { ok: true } };
    } else if (method === "POST" && path === "/_sim/generator") {
      control.startGenerator((await jsonBody({ req })) as GeneratorOptions);
      out = { status: 200, body: { running: true } };
    } else if (method === "DELETE" && path === "/_sim/generator") {
      control.stopGenerator();
      out = { status: 200, body: { running: false } };
    } else if (method === "POST" && path === "/_sim/billing-cycles/close") out = { status: 200, body: { created: control.closeBillingCycle() } };
    else if (method === "POST" && path === "/_sim/reset") {
      control.reset();
      out = { status: 200, body: { ok: true } };
    } else throw new MiraklApiError(404, `No control route ${method} ${path}`);
    sendJson({ res, status: out.status, body: out.body });
  } catch (err) {
    if (err instanceof MiraklApiError) sendJson({ res, status: err.status, body: err.body() });
    else sendJson({ res, status: 500, body: { status: 500, message: err instanceof Error ? err.message : String(err) } });
  }
}
