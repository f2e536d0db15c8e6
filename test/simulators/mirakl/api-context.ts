/**
 * What an API handler receives and returns. Handlers throw MiraklApiError for refusals; the server turns
 * results and errors into HTTP.
 */
import type { SimState } from "./sim-state";
import type { ShopAccount } from "./types";

export interface ApiContext {
  state: SimState;
  shop: ShopAccount;
  apiKey: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when empty or not JSON-bodied). */
  body: unknown;
  rawBody: Buffer;
  contentType: string;
  baseUrl: string;
  path: string;
  at: number;
}

export interface ApiResult {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface ApiRoute {
  operationId: string;
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** Path template exactly as in the OpenAPI (checked against matchOperation in tests). */
  template: string;
  /** Mutating operations: counted in writesApplied, eligible for timeout-after-write. */
  write: boolean;
  /** The body is JSON (parsed and validated with validateRequestBody). */
  jsonBody: boolean;
  /** Semantic checks with Mirakl's documented error codes, run before the schema check. */
  precheck?: (body: unknown) => void;
  /** Machine code put on schema validation errors (OR21 documents VALIDATION_ERROR). */
  validationCode?: string;
  handle: (ctx: ApiContext) => ApiResult;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): ApiResult => ({ status, json: body, headers });
export const noContent = (): ApiResult => ({ status: 204 });
