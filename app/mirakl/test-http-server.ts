/**
 * A tiny capturing HTTP server for the Mirakl client's tests (unit and contract). Test-only: nothing in the app
 * imports it. Listens on 127.0.0.1, port 0; `close()` also drops kept-alive and hanging connections.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  bodyText: string;
  /** The body parsed as JSON when it is JSON. */
  json?: unknown;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Drop the connection without an answer. */
  destroy?: boolean;
  delayMs?: number;
}

export type Handler = (req: CapturedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  baseUrl: string;
  port: number;
  requests: CapturedRequest[];
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestServer(handler: Handler): Promise<TestServer> {
  let current = handler;
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const body = Buffer.concat(chunks);
        const bodyText = body.toString("utf8");
        let json: unknown;
        if (bodyText !== "" && String(req.headers["content-type"] ?? "").includes("json")) {
          try {
            json = JSON.parse(bodyText);
          } catch {
            json = undefined;
          }
        }
        const captured: CapturedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, bodyText, json };
        const index = requests.length;
        requests.push(captured);
        let reply: Reply;
        try {
          reply = await current(captured, index);
        } catch (err) {
          reply = { status: 599, text: String(err) };
        }
        if (reply.hang) return;
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string> = { ...reply.headers };
        let payload = "";
        if (reply.json !== undefined) {
          payload = JSON.stringify(reply.json);
          headers["content-type"] ??= "application/json";
        } else if (reply.text !== undefined) {
          payload = reply.text;
          headers["content-type"] ??= "text/plain";
        }
        res.writeHead(reply.status, headers);
        res.end(reply.status === 204 ? undefined : payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests,
    setHandler(h) {
      current = h;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
