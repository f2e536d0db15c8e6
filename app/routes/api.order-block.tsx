import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../context.server";
import { flagRefundInputSchema, flagRefundTask, orderBlockData, orderBlockQuerySchema } from "../sync/adjustments/order-block.server";

/**
 * Backend of the admin block on the Shopify order page (extensions/mirakl-order-block). The extension's fetch()
 * carries a session token (OpenID Connect ID token) that authenticate.admin validates; `cors` adds the headers the
 * admin's extension sandbox needs (and authenticate.admin answers the CORS preflight itself).
 *   GET  /api/order-block?orderId=<Order GID>            → the Mirakl side of the order (or { kind: "not_mirakl" })
 *   POST /api/order-block { orderId, note? }             → "Flag a Mirakl refund task"
 */
function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const s = services();
  const { session, cors } = await s.shopify.authenticate.admin(request);
  const parsed = orderBlockQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return cors(json({ error: parsed.error.issues[0]?.message ?? "Invalid request" }, 400));
  return cors(json(await orderBlockData({ services: s, shop: session.shop, orderId: parsed.data.orderId })));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const s = services();
  const ctx = await s.shopify.authenticate.admin(request);
  const { session, cors } = ctx;
  if (request.method !== "POST") return cors(json({ error: "Use POST" }, 405));
  const body: unknown = (request.headers.get("content-type") ?? "").includes("application/json") ? await request.json().catch(() => null) : Object.fromEntries(await request.formData());
  const parsed = flagRefundInputSchema.safeParse(body);
  if (!parsed.success) return cors(json({ error: parsed.error.issues[0]?.message ?? "Invalid request" }, 400));
  const user = "sessionToken" in ctx && ctx.sessionToken?.sub ? `staff member ${ctx.sessionToken.sub}` : "a staff member";
  const result = await flagRefundTask({ services: s, shop: session.shop, orderId: parsed.data.orderId, note: parsed.data.note, by: user });
  return cors(json(result, result.kind === "flagged" ? 200 : 404));
};
