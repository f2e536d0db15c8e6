/**
 * Which topics go to which path. By default the app's own shopify.app.toml decides (app-specific subscriptions,
 * notes.md §1.6/§3.1: `[[webhooks.subscriptions]]` with `topics` or `compliance_topics` and `uri`); without a toml,
 * every topic the simulator fires goes to /webhooks/<topic> (Remix flat routes: webhooks.orders.create.tsx).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface Subscription {
  topic: string;
  uri: string;
}

export const SIMULATED_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/edited",
  "orders/cancelled",
  "orders/fulfilled",
  "orders/partially_fulfilled",
  "fulfillments/create",
  "fulfillments/update",
  "refunds/create",
  "inventory_levels/update",
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_TOML_PATH = path.resolve(here, "../../../../shopify.app.toml");

function parseStringArray(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "");
}

/** Reads `[[webhooks.subscriptions]]` blocks (topics / compliance_topics + uri) from a shopify.app.toml. */
export function parseTomlSubscriptions(toml: string): Subscription[] {
  const out: Subscription[] = [];
  const lines = toml.split(/\r?\n/);
  let inBlock = false;
  let topics: string[] = [];
  let uri: string | null = null;
  const flush = () => {
    if (inBlock && uri) for (const topic of topics) out.push({ topic, uri });
    topics = [];
    uri = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/#.*$/, "").trim();
    if (line.startsWith("[")) {
      flush();
      inBlock = line === "[[webhooks.subscriptions]]";
      continue;
    }
    if (!inBlock) continue;
    const m = /^(topics|compliance_topics|uri)\s*=\s*(.*)$/.exec(line);
    if (!m || !m[1]) continue;
    let value = m[2] ?? "";
    if (m[1] === "uri") {
      uri = parseStringArray(value)[0] ?? null;
      continue;
    }
    while (value.includes("[") && !value.includes("]") && i + 1 < lines.length) {
      i++;
      value += " " + (lines[i] ?? "").replace(/#.*$/, "");
    }
    topics.push(...parseStringArray(value));
  }
  flush();
  return out;
}

export function defaultSubscriptions(tomlPath = DEFAULT_TOML_PATH): Subscription[] {
  if (existsSync(tomlPath)) {
    const parsed = parseTomlSubscriptions(readFileSync(tomlPath, "utf8"));
    if (parsed.length) return parsed;
  }
  return SIMULATED_TOPICS.map((topic) => ({ topic, uri: `/webhooks/${topic}` }));
}
