/**
 * Small helpers over node:http for the simulator's two faces (the Mirakl API and the /_sim control API).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY_BYTES = 20 * 1024 * 1024;

export function readBody({ req }: { req: IncomingMessage }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function sendJson({ res, status, body, headers = {} }: { res: ServerResponse; status: number; body: unknown; headers?: Record<string, string> }): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json;charset=UTF-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText({ res, status, body, contentType, headers = {} }: { res: ServerResponse; status: number; body: string; contentType: string; headers?: Record<string, string> }): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendEmpty({ res, status, headers = {} }: { res: ServerResponse; status: number; headers?: Record<string, string> }): void {
  res.writeHead(status, headers);
  res.end();
}

/** The base URL the client used (Link headers, OF53 URLs), from the Host header. */
export function baseUrlOf({ req, fallback }: { req: IncomingMessage; fallback: string }): string {
  const host = req.headers.host;
  return host ? `http://${host}` : fallback;
}
