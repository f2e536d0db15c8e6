/**
 * Webhook delivery as Shopify does it (notes.md §3.3, §3.4): asynchronous POSTs of the raw JSON body signed with
 * X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app secret, raw body)), the classic X-Shopify-* headers, at-least-once
 * with retries on non-2xx or timeout (Shopify: 8 retries over 4 h; here a configurable schedule so tests stay fast),
 * optional duplicate deliveries (same X-Shopify-Webhook-Id and Event-Id) and reordering. One delivery per
 * subscription of a topic, all sharing the event id.
 */
import { createHmac, randomUUID } from "node:crypto";
import { SCHEMA_API_VERSION } from "../schema";
import type { Subscription } from "./subscriptions";

export interface WebhookConfig {
  appUrl: string;
  secret: string;
  subscriptions?: Subscription[];
  /** Probability (0..1) that a delivery is sent twice. */
  duplicateRate?: number;
  /** Deliver in a shuffled order (each delivery waits a random 0..reorderWindowMs first). */
  reorder?: boolean;
  reorderWindowMs?: number;
  /** attempts includes the first try; delaysMs[i] is the wait before retry i+1 (last value repeats). */
  retry?: { attempts: number; delaysMs: number[] };
  /** Shopify gives up on a delivery after 5 s (§3.4). */
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookLogEntry {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  triggeredAt: string;
  duplicate: boolean;
  state: "pending" | "delivered" | "failed";
  /** Last HTTP status (null when the last attempt got no response). */
  status: number | null;
  attempts: DeliveryAttempt[];
  payload: unknown;
}

const MAX_LOG = 10_000;

export const DEFAULT_RETRY = { attempts: 3, delaysMs: [50, 200] };

export function signWebhook(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookDispatcher {
  private readonly entries: WebhookLogEntry[] = [];
  private readonly pending = new Set<Promise<void>>();
  /** Pending waits, so close() can end them at once. */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private readonly aborts = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly config: WebhookConfig & { subscriptions: Subscription[] },
    private readonly rng: () => number,
  ) {}

  subscriptions(): Subscription[] {
    return this.config.subscriptions;
  }

  enqueue(shopDomain: string, topic: string, payload: unknown): void {
    if (this.closed) return;
    const subs = this.config.subscriptions.filter((s) => s.topic === topic);
    if (subs.length === 0) return;
    const body = JSON.stringify(payload);
    const eventId = randomUUID();
    const triggeredAt = new Date().toISOString();
    for (const sub of subs) {
      const webhookId = randomUUID();
      const url = new URL(sub.uri, this.config.appUrl).toString();
      const copies = this.rng() < (this.config.duplicateRate ?? 0) ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const entry: WebhookLogEntry = {
          webhookId,
          eventId,
          topic,
          shop: shopDomain,
          url,
          triggeredAt,
          duplicate: i > 0,
          state: "pending",
          status: null,
          attempts: [],
          payload,
        };
        this.entries.push(entry);
        if (this.entries.length > MAX_LOG) this.entries.splice(0, this.entries.length - MAX_LOG);
        const p = this.deliver(entry, body).finally(() => this.pending.delete(p));
        this.pending.add(p);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const t = setTimeout(() => {
        this.waits.delete(t);
        resolve();
      }, ms);
      this.waits.set(t, resolve);
    });
  }

  private async deliver(entry: WebhookLogEntry, body: string): Promise<void> {
    // Never inside the GraphQL response: at least one macrotask later.
    await this.sleep(this.config.reorder ? Math.floor(this.rng() * (this.config.reorderWindowMs ?? 30)) : 0);
    const retry = this.config.retry ?? DEFAULT_RETRY;
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Hmac-Sha256": signWebhook(body, this.config.secret),
      "X-Shopify-Topic": entry.topic,
      "X-Shopify-Shop-Domain": entry.shop,
      "X-Shopify-API-Version": SCHEMA_API_VERSION,
      "X-Shopify-Webhook-Id": entry.webhookId,
      "X-Shopify-Event-Id": entry.eventId,
      "X-Shopify-Triggered-At": entry.triggeredAt,
    };
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      if (this.closed) return;
      const started = Date.now();
      const abort = new AbortController();
      this.aborts.add(abort);
      const timer = setTimeout(() => abort.abort(), this.config.timeoutMs ?? 5000);
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(entry.url, { method: "POST", headers, body, signal: abort.signal });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        error = abort.signal.aborted ? "timeout" : (err as Error).message;
      } finally {
        clearTimeout(timer);
        this.aborts.delete(abort);
      }
      entry.attempts.push({ at: new Date(started).toISOString(), status, error, durationMs: Date.now() - started });
      entry.status = status;
      if (status !== null && status >= 200 && status < 300) {
        entry.state = "delivered";
        return;
      }
      if (attempt < retry.attempts) {
        const delay = retry.delaysMs[Math.min(attempt - 1, retry.delaysMs.length - 1)] ?? 0;
        await this.sleep(delay);
      }
    }
    entry.state = "failed";
  }

  /** Resolves when every delivery so far (and any enqueued meanwhile) has succeeded or exhausted its retries. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  log(): WebhookLogEntry[] {
    return this.entries.map((e) => ({ ...e, attempts: [...e.attempts] }));
  }

  clearLog(): void {
    this.entries.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [t, resolve] of this.waits) {
      clearTimeout(t);
      resolve();
    }
    this.waits.clear();
    for (const a of this.aborts) a.abort();
    await Promise.allSettled([...this.pending]);
  }
}
