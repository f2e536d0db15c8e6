/**
 * The control API over HTTP, for the dev/demo server and out-of-process tests:
 *   POST /_sim/<method>   JSON body = the method's single argument object -> 200 JSON result
 *   GET  /_sim/<method>?shop=...&topic=...   same, arguments from the query string (getters)
 * Errors: 400 {"error": message} for bad input (unknown shop/order/SKU, userErrors), 404 for an unknown method.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ControlError, type ShopifyControl } from "./control";

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export async function handleControl(control: ShopifyControl, req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
  const method = url.pathname.replace(/^\/_sim\//, "");
  const fn = (control as unknown as Record<string, unknown>)[method];
  if (typeof fn !== "function") return send(res, 404, { error: `Unknown control method ${method}` });
  let arg: unknown;
  if (req.method === "GET") arg = Object.fromEntries(url.searchParams.entries());
  else {
    try {
      arg = body.trim() === "" ? {} : JSON.parse(body);
    } catch {
      return send(res, 400, { error: "Body is not valid JSON" });
    }
  }
  try {
    const result = await (fn as (a: unknown) => unknown).call(control, arg);
    send(res, 200, result ?? { ok: true });
  } catch (err) {
    if (err instanceof ControlError) return send(res, 400, { error: err.message });
    send(res, 500, { error: (err as Error).message });
  }
}
