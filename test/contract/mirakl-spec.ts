/**
 * Mirakl's published seller OpenAPI (../shared/mirakl/mmp-seller-openapi.json) as an executable contract.
 *
 * Responses are checked the way ../shared/mirakl/README.md measured works: `required` dropped, `null` allowed on
 * every typed field and enums opened (Mirakl sends fewer fields than it declares and promises new enum values).
 * Request bodies are checked strictly (required fields and enums kept): what we send must be what Mirakl accepts.
 * Query parameters are checked by name (unknown parameters are rejected) and for the required ones.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  method: string;
  path: string;
  pointer: string; // JSON pointer of the operation object inside the spec
  op: Json;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function specPath(): string {
  const candidates = [
    process.env.MIRAKL_OPENAPI_PATH,
    path.resolve(here, "../fixtures/vendor/mmp-seller-openapi.json"),
    path.resolve(here, "../../../shared/mirakl/mmp-seller-openapi.json"),
    path.resolve(process.cwd(), "../shared/mirakl/mmp-seller-openapi.json"),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`Mirakl OpenAPI not found (looked in ${candidates.join(", ")})`);
  return found;
}

let cache: { spec: Json; ops: Map<string, Operation>; strictAjv: InstanceType<typeof Ajv2020>; lenientAjv: InstanceType<typeof Ajv2020> } | undefined;

const ptr = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

function loosen(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(loosen);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "required" && Array.isArray(v)) continue;
    if (k === "enum" || k === "const") continue;
    if (k === "additionalProperties" && v === false) continue;
    out[k] = loosen(v);
  }
  const t = out.type;
  if (typeof t === "string" && t !== "null") out.type = [t, "null"];
  else if (Array.isArray(t) && !t.includes("null")) out.type = [...t, "null"];
  return out;
}

function load() {
  if (cache) return cache;
  const spec = JSON.parse(readFileSync(specPath(), "utf8")) as Json;
  const ops = new Map<string, Operation>();
  for (const [p, item] of Object.entries(spec.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (op && typeof op === "object" && "operationId" in (op as Json)) {
        const id = String((op as Json).operationId);
        ops.set(id, { operationId: id, method: method.toUpperCase(), path: p, pointer: `#/paths/${ptr(p)}/${method}`, op: op as Json });
      }
    }
  }
  const mk = () => new Ajv2020({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true });
  const strictAjv = mk();
  strictAjv.addSchema(spec, "spec");
  const lenientAjv = mk();
  lenientAjv.addSchema(loosen(spec) as Json, "spec");
  cache = { spec, ops, strictAjv, lenientAjv };
  return cache;
}

export function operation(operationId: string): Operation {
  const op = load().ops.get(operationId);
  if (!op) throw new Error(`Unknown Mirakl operation ${operationId}`);
  return op;
}

/** The operation whose path template and method match a concrete request (e.g. PUT /api/orders/X-A/accept). */
export function matchOperation(method: string, urlPath: string): Operation | undefined {
  const { ops } = load();
  let best: Operation | undefined;
  for (const op of ops.values()) {
    if (op.method !== method.toUpperCase()) continue;
    const re = new RegExp("^" + op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+").replace(/\{[^}]+\}/g, "[^/]+") + "$");
    if (re.test(urlPath)) {
      // Prefer the most literal template (fewest path parameters).
      if (!best || (op.path.match(/\{/g)?.length ?? 0) < (best.path.match(/\{/g)?.length ?? 0)) best = op;
    }
  }
  return best;
}

const validators = new Map<string, ValidateFunction | null>();

function validatorFor(kind: "request" | "response", operationId: string, status?: number | string, contentType = "application/json"): ValidateFunction | null {
  const key = `${kind}:${operationId}:${status ?? ""}:${contentType}`;
  if (validators.has(key)) return validators.get(key)!;
  const { strictAjv, lenientAjv } = load();
  const op = operation(operationId);
  let pointer: string | undefined;
  if (kind === "request") {
    const content = ((op.op.requestBody as Json | undefined)?.content ?? {}) as Json;
    if (content[contentType]) pointer = `${op.pointer}/requestBody/content/${ptr(contentType)}/schema`;
  } else {
    const responses = (op.op.responses ?? {}) as Json;
    const r = (responses[String(status)] ?? responses.default) as Json | undefined;
    const content = (r?.content ?? {}) as Json;
    const ct = content[contentType] ? contentType : Object.keys(content).find((k) => k.includes("json"));
    if (ct && (content[ct] as Json).schema) {
      const st = responses[String(status)] ? String(status) : "default";
      pointer = `${op.pointer}/responses/${st}/content/${ptr(ct)}/schema`;
    }
  }
  const v = pointer ? (kind === "request" ? strictAjv : lenientAjv).compile({ $ref: `spec${pointer}` }) : null;
  validators.set(key, v);
  return v;
}

export interface ContractResult {
  ok: boolean;
  errors: string[];
}

function result(v: ValidateFunction | null, data: unknown, missingMsg: string): ContractResult {
  if (!v) return { ok: false, errors: [missingMsg] };
  const ok = v(data) as boolean;
  return { ok, errors: ok ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`) };
}

/** Does this JSON body match the operation's documented response for that status (leniently)? */
export function validateResponse(operationId: string, status: number, body: unknown): ContractResult {
  const op = operation(operationId);
  const responses = (op.op.responses ?? {}) as Json;
  if (!responses[String(status)] && !responses.default) {
    return { ok: false, errors: [`${operationId} documents no ${status} response (documented: ${Object.keys(responses).join(", ")})`] };
  }
  const r = (responses[String(status)] ?? responses.default) as Json;
  if (!r.content) return body === undefined || body === "" || body === null ? { ok: true, errors: [] } : { ok: false, errors: [`${operationId} ${status} has no body`] };
  return result(validatorFor("response", operationId, status), body, `${operationId} ${status}: no JSON schema`);
}

/** Does this JSON request body match what the operation accepts (strictly)? */
export function validateRequestBody(operationId: string, body: unknown): ContractResult {
  const op = operation(operationId);
  if (!op.op.requestBody) return body === undefined || body === null ? { ok: true, errors: [] } : { ok: false, errors: [`${operationId} takes no body`] };
  return result(validatorFor("request", operationId), body, `${operationId}: no JSON request schema`);
}

/** Query parameter names and required-ness against the operation's documented parameters. */
export function validateQuery(operationId: string, query: URLSearchParams | Record<string, string>): ContractResult {
  const op = operation(operationId);
  const params = ((op.op.parameters ?? []) as Json[]).map((p) => (p.$ref ? resolveRef(String(p.$ref)) : p));
  const declared = new Map(params.filter((p) => p.in === "query").map((p) => [String(p.name), p]));
  // Pagination and locale parameters are documented in prose ("This resource supports offset pagination"),
  // not as parameters, so they are allowed where the description says so.
  const description = String(op.op.description ?? "");
  const implicit = new Set<string>();
  if (/offset pagination/i.test(description)) for (const n of ["max", "offset", "paginate", "sort", "order"]) implicit.add(n);
  if (/seek pagination/i.test(description)) for (const n of ["limit", "page_token", "sort"]) implicit.add(n);
  if (/locale/i.test(description)) implicit.add("locale");
  const given = query instanceof URLSearchParams ? [...new Set(query.keys())] : Object.keys(query);
  const errors: string[] = [];
  for (const name of given) if (!declared.has(name) && !implicit.has(name)) errors.push(`unknown query parameter "${name}"`);
  for (const [name, p] of declared) if (p.required === true && !given.includes(name)) errors.push(`missing required query parameter "${name}"`);
  return { ok: errors.length === 0, errors };
}

function resolveRef(ref: string): Json {
  const parts = ref.replace(/^#\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = load().spec;
  for (const p of parts) node = (node as Json)[p];
  return node as Json;
}

/** The documented examples of an operation's response, for fixtures. */
export function responseExamples(operationId: string, status: number): unknown[] {
  const r = ((operation(operationId).op.responses ?? {}) as Json)[String(status)] as Json | undefined;
  const content = (r?.content ?? {}) as Json;
  const out: unknown[] = [];
  for (const c of Object.values(content)) {
    const cj = c as Json;
    if (cj.example !== undefined) out.push(cj.example);
    for (const ex of Object.values((cj.examples ?? {}) as Json)) out.push((ex as Json).value);
  }
  return out;
}
