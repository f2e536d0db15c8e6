/**
 * A second contract check for the simulator's tests that keeps the spec's `required` lists (nulls still allowed,
 * enums still open): a response must carry every documented mandatory field, on top of passing the lenient
 * validateResponse of test/contract/mirakl-spec.ts.
 */
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { operation, specPath } from "../../contract/mirakl-spec";

type Json = Record<string, unknown>;
let requiredAjv: InstanceType<typeof Ajv2020> | undefined;
const requiredValidators = new Map<string, ValidateFunction>();

function keepRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(keepRequired);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "enum" || k === "const") continue;
    if (k === "additionalProperties" && v === false) continue;
    out[k] = keepRequired(v);
  }
  const t = out.type;
  if (typeof t === "string" && t !== "null") out.type = [t, "null"];
  else if (Array.isArray(t) && !t.includes("null")) out.type = [...t, "null"];
  return out;
}

/** Validates against the response schema with `required` kept: every documented mandatory field is present. */
export function validateResponseRequired(operationId: string, status: number, body: unknown): { ok: boolean; errors: string[] } {
  const documented = ((operation(operationId).op.responses as Json)[String(status)] as Json | undefined)?.content;
  if (!documented) return body === undefined || body === "" ? { ok: true, errors: [] } : { ok: false, errors: [`${operationId} ${status} documents no body`] };
  const key = `${operationId}:${status}`;
  let v = requiredValidators.get(key);
  if (!v) {
    if (!requiredAjv) {
      requiredAjv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true });
      requiredAjv.addSchema(keepRequired(JSON.parse(readFileSync(specPath(), "utf8"))) as Json, "spec");
    }
    const op = operation(operationId);
    const content = (((op.op.responses as Json)[String(status)] as Json).content ?? {}) as Json;
    const ct = Object.keys(content).find((k) => k.includes("json")) ?? "application/json";
    const ptr = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
    v = requiredAjv.compile({ $ref: `spec${op.pointer}/responses/${status}/content/${ptr(ct)}/schema` });
    requiredValidators.set(key, v);
  }
  const ok = v(body) as boolean;
  return { ok, errors: ok ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`) };
}

