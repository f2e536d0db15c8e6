/**
 * Test support (not a test): a minimal HTTP server on 127.0.0.1:0 answering Admin GraphQL requests from a
 * handler, recording what it received; and a fake clock whose sleep advances time.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "./admin-client";
import { createBucketRegistry } from "./throttle-bucket";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body ({ query, variables, operationName }) or undefined for GET. */
  body: { query: string; variables: Record<string, unknown>; operationName?: string } | undefined;
}

export interface FakeReply {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Stream these chunks with a pause between them (bulk downloads). */
  chunks?: string[];
}

export type FakeHandler = (req: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeAdminApi {
  url: string;
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeAdminApi(handler: FakeHandler): Promise<FakeAdminApi> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      void (async () => {
        const raw = Buffer.concat(parts).toString("utf8");
        const recorded: RecordedRequest = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: raw.length > 0 ? (JSON.parse(raw) as RecordedRequest["body"]) : undefined,
        };
        requests.push(recorded);
        let reply: FakeReply;
        try {
          reply = await handler(recorded, requests.length - 1);
        } catch (err) {
          reply = { status: 599, text: String(err) };
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        res.statusCode = reply.status ?? 200;
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        if (reply.chunks) {
          res.setHeader("content-type", "application/jsonl");
          for (const c of reply.chunks) {
            res.write(c);
            await new Promise((r) => setTimeout(r, 5));
          }
          res.end();
          return;
        }
        if (reply.text !== undefined) {
          res.end(reply.text);
          return;
        }
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(reply.body ?? {}));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    endpoint: `${url}/admin/api/2026-04/graphql.json`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
  advance(ms: number): void;
}

export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    advance(ms: number) {
      t += ms;
    },
  };
}

export const TEST_SHOP = "test-shop.myshopify.com";
export const TEST_TOKEN = "shpat_SECRET_TOKEN_0123456789abcdef";

/** A client against the fake server with a fresh bucket registry, fake clock and no jitter. */
export function clientFor(
  api: FakeAdminApi,
  clock: FakeClock = createFakeClock(),
  extra: Partial<AdminClientOptions> = {},
): AdminClient {
  return createAdminClient({
    shop: TEST_SHOP,
    accessToken: TEST_TOKEN,
    endpoint: api.endpoint,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0,
    buckets: createBucketRegistry(),
    timeoutMs: 2_000,
    ...extra,
  });
}

/** A GraphQL success body with a cost extension. */
export function ok(data: unknown, cost?: { requested?: number; available?: number; max?: number; rate?: number }) {
  return {
    body: {
      data,
      extensions: {
        cost: {
          requestedQueryCost: cost?.requested ?? 10,
          actualQueryCost: cost?.requested ?? 10,
          throttleStatus: {
            maximumAvailable: cost?.max ?? 1000,
            currentlyAvailable: cost?.available ?? 990,
            restoreRate: cost?.rate ?? 100,
          },
        },
      },
    },
  };
}
