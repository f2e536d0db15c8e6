/**
 * Helpers for the order-lifecycle integration tests: run a poll like the scheduler would, process what it
 * queued, read both simulators' views of an order.
 */
import type { OrderLink } from "@prisma/client";
import type { Harness } from "./harness";
import { backfillOrdersJob, pollOrdersJob } from "../../app/jobs/order-jobs.server";

/** Runs one orders.poll for the harness connection now (what scheduler.tick enqueues once a minute). */
export async function pollNow(h: Harness): Promise<unknown> {
  const c = h.connection;
  if (!c) throw new Error("harness has no connection");
  return h.services.jobs.runNow(pollOrdersJob, { shop: h.shop, connectionId: c.id });
}

export async function backfillNow(h: Harness): Promise<unknown> {
  const c = h.connection;
  if (!c) throw new Error("harness has no connection");
  return h.services.jobs.runNow(backfillOrdersJob, { shop: h.shop, connectionId: c.id });
}

/** Poll, then run every job that queued (imports, cancellations, references), `rounds` times. */
export async function pollAndDrain(h: Harness, rounds = 1): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await pollNow(h);
    await h.drain();
  }
}

/** Decisions compare deadlines with services.now(): make it the Mirakl simulator's clock, which tests advance. */
export function useMiraklClock(h: Harness): void {
  h.services.now = () => h.mirakl.control.now();
}

export async function linkOf(h: Harness, miraklOrderId: string): Promise<OrderLink> {
  return h.services.prisma.orderLink.findFirstOrThrow({ where: { miraklOrderId } });
}

/** Shopify orders (simulator summaries) carrying the tag of this Mirakl order. */
export function shopifyOrdersFor(h: Harness, miraklOrderId: string) {
  return h.shopify.control.orders({ shop: h.shop }).filter((o) => o.tags.includes(`mirakl-${miraklOrderId}`));
}

export async function openTasks(h: Harness, kind?: string) {
  return h.services.prisma.task.findMany({ where: { shop: h.shop, status: "OPEN", ...(kind ? { kind } : {}) } });
}

export async function timeline(h: Harness, orderLinkId: string) {
  return h.services.prisma.syncEvent.findMany({ where: { entityType: "order", entityId: orderLinkId }, orderBy: { createdAt: "asc" } });
}

/** Mirakl calls made so far, per operation (OR11, OR21 ...). */
export function miraklCalls(h: Harness, op: string): number {
  return h.mirakl.control.stats().calls[op] ?? 0;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}
