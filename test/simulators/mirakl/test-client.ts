/**
 * HTTP helpers for the simulator's own tests and scripts: a tiny client over fetch, a started test simulator,
 * and STO01 file builders. No vitest import, so scripts can use it too.
 */
import { startMiraklSimulator, type MiraklSimulator, type StartMiraklSimulatorOptions } from "./index";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call({
  sim,
  method = "GET",
  path,
  key = "test-key",
  body,
  rawBody,
  contentType,
  query,
}: {
  sim: { url: string };
  method?: string;
  path: string;
  key?: string | null;
  body?: unknown;
  rawBody?: string | Buffer;
  contentType?: string;
  query?: Record<string, string | number | boolean>;
}): Promise<ApiResponse> {
  const url = new URL(path, sim.url);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = key;
  let payload: string | ArrayBuffer | undefined;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["content-type"] = "application/json";
  } else if (rawBody !== undefined) {
    payload = typeof rawBody === "string" ? rawBody : new Uint8Array(rawBody).buffer;
    if (contentType) headers["content-type"] = contentType;
  }
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startTestSim(opts: StartMiraklSimulatorOptions = {}): Promise<MiraklSimulator> {
  return startMiraklSimulator({ shops: [{ apiKey: "test-key", shopId: 2001, shopName: "Test Shop" }], seed: 42, ...opts });
}

export function stockCsv(rows: Array<[string, string | number]>, header = '"offer-sku";"quantity"'): string {
  return [header, ...rows.map(([sku, q]) => `"${sku}";"${q}"`)].join("\n") + "\n";
}

export function multipartFile({ csv, name = "file", filename = "stock.csv" }: { csv: string; name?: string; filename?: string }) {
  const boundary = "----simboundary7MA4YWxkTrZu0gW";
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    "utf8",
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
