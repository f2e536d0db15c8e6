import http from "node:http";
import type { AddressInfo } from "node:net";
import { receiveWebhook } from "../../app/webhooks/receive.server";
import { WEBHOOK_TOPICS, type WebhookTopic } from "../../app/sync/webhooks.server";

/**
 * The app's webhook routes without the Remix build: `/webhooks/<resource>/<event>` goes to receiveWebhook,
 * exactly what each app/routes/webhooks.*.tsx does (they are one-liners), so integration tests receive the
 * Shopify simulator's HMAC-signed deliveries over real HTTP.
 */
export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const m = /^\/webhooks\/([a-z_]+)\/([a-z_]+)$/.exec(url.pathname);
      const topic = m ? (`${m[1]}_${m[2]}`.toUpperCase() as WebhookTopic) : undefined;
      if (!topic || !WEBHOOK_TOPICS.includes(topic)) {
        res.writeHead(404).end("no such webhook route");
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${url.pathname}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      let response: Response;
      try {
        response = await receiveWebhook(request, topic);
      } catch (thrown) {
        if (thrown instanceof Response) response = thrown;
        else throw thrown;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
