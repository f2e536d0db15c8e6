import { randomUUID } from "node:crypto";
import type { MiraklAdjustment, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";

/**
 * MiraklAdjustment rows: one per cause (`edit:<order_edit id>`, `cancel:<shopify order id>`), unique by dedupeKey,
 * so a duplicate or late webhook never produces a second OR29/OR30. The row is also the write's lock: a worker
 * claims it (PENDING → SENDING with a claim token, in one conditional UPDATE) before talking to Mirakl, and only the
 * claim holder may finish it. A SENDING row without a claim (the last attempt ended in an unknown outcome) or with
 * a claim older than STALE_CLAIM_MS (the worker died) may be claimed again; the new holder re-reads Mirakl first.
 *
 * Statuses: PENDING (waiting for its turn or for the replacement grace period), SENDING, SENT, TASK (Mirakl cannot
 * take it: a person must act, a Task says what), FAILED (Mirakl refused it: a Task says why), SKIPPED (nothing to
 * send: the order was replaced, or Mirakl already reflects it).
 */
export const STALE_CLAIM_MS = 10 * 60_000;

const taxSchema = z.object({ code: z.string(), amount: z.number() });

export const plannedCancelLineSchema = z.object({
  orderLineId: z.string(),
  offerSku: z.string().default(""),
  quantity: z.number().int().nonnegative(),
  amount: z.number(),
  shippingAmount: z.number(),
  taxes: z.array(taxSchema).default([]),
  shippingTaxes: z.array(taxSchema).default([]),
  baselineIds: z.array(z.string()).default([]),
});
export type PlannedCancelLine = z.infer<typeof plannedCancelLineSchema>;

export const adjustmentRequestSchema = z.object({
  source: z.enum(["edit", "cancel"]),
  shopifyOrderId: z.string(),
  shopifyOrderName: z.string().nullish(),
  shopifyEditId: z.string().nullish(),
  reasonHint: z.enum(["customer", "stock", "other"]).default("other"),
  /** Units to cancel per Mirakl line (CANCEL_LINES). */
  lines: z.array(z.object({ orderLineId: z.string(), offerSku: z.string(), quantity: z.number().int().positive() })).default([]),
  /** Cancellations wait this long for a replacement order (order-editing apps) before Mirakl hears of them. */
  notBefore: z.string().nullish(),
  /** Written before the first send; its presence means "a write may already be on Mirakl: reconcile first". */
  plan: z
    .object({
      attemptedAt: z.string(),
      kind: z.enum(["CANCEL_LINES", "CANCEL_ORDER"]),
      reasonCode: z.string().nullish(),
      mode: z.enum(["TAX_INCLUDED", "TAX_EXCLUDED"]),
      sendTaxes: z.boolean().default(true),
      lines: z.array(plannedCancelLineSchema).default([]),
    })
    .nullish(),
});
export type AdjustmentRequest = z.infer<typeof adjustmentRequestSchema>;

export function parseRequest(row: Pick<MiraklAdjustment, "request">): AdjustmentRequest {
  return adjustmentRequestSchema.parse(row.request);
}

export type AdjustmentStatus = "PENDING" | "SENDING" | "SENT" | "TASK" | "FAILED" | "SKIPPED";
export const FINAL_STATUSES: ReadonlySet<string> = new Set(["SENT", "TASK", "FAILED", "SKIPPED"]);

/** INSERT … ON CONFLICT (dedupeKey) DO NOTHING: the first webhook to arrive creates the row, later ones see it. */
export async function createAdjustment(
  prisma: PrismaClient,
  input: { orderLinkId: string; connectionId: string; dedupeKey: string; kind: "CANCEL_LINES" | "CANCEL_ORDER"; status: AdjustmentStatus; request: AdjustmentRequest; result?: Prisma.InputJsonValue; lastError?: string },
): Promise<{ created: boolean; row: MiraklAdjustment }> {
  const res = await prisma.miraklAdjustment.createMany({
    data: [
      {
        orderLinkId: input.orderLinkId,
        connectionId: input.connectionId,
        dedupeKey: input.dedupeKey,
        kind: input.kind,
        status: input.status,
        request: input.request as Prisma.InputJsonValue,
        result: input.result,
        lastError: input.lastError ?? null,
      },
    ],
    skipDuplicates: true,
  });
  const row = await prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey } });
  return { created: res.count === 1, row };
}

/** Claims a row for sending; returns the claim token, or null when another worker holds it or it is finished. */
export async function claimAdjustment(prisma: PrismaClient, id: string, now: Date): Promise<string | null> {
  const token = randomUUID();
  const stale = new Date(now.getTime() - STALE_CLAIM_MS);
  const res = await prisma.miraklAdjustment.updateMany({
    where: { id, OR: [{ status: "PENDING" }, { status: "SENDING", claim: null }, { status: "SENDING", updatedAt: { lt: stale } }] },
    data: { status: "SENDING", claim: token },
  });
  return res.count === 1 ? token : null;
}

/** Updates the row only while this worker still holds the claim; false when it lost it. */
export async function updateClaimed(
  prisma: PrismaClient,
  id: string,
  claim: string,
  data: { status?: AdjustmentStatus; kind?: "CANCEL_LINES" | "CANCEL_ORDER"; request?: AdjustmentRequest; result?: Prisma.InputJsonValue; lastError?: string | null; releaseClaim?: boolean },
): Promise<boolean> {
  const res = await prisma.miraklAdjustment.updateMany({
    where: { id, claim },
    data: {
      ...(data.status ? { status: data.status } : {}),
      ...(data.kind ? { kind: data.kind } : {}),
      ...(data.request ? { request: data.request as Prisma.InputJsonValue } : {}),
      ...(data.result !== undefined ? { result: data.result } : {}),
      ...(data.lastError !== undefined ? { lastError: data.lastError } : {}),
      ...(data.releaseClaim || (data.status && data.status !== "SENDING") ? { claim: null } : {}),
    },
  });
  return res.count === 1;
}

/** PENDING → SKIPPED as one conditional update (a replacement order arrived during the grace period). */
export async function skipPending(prisma: PrismaClient, dedupeKey: string, result: Prisma.InputJsonValue): Promise<boolean> {
  const res = await prisma.miraklAdjustment.updateMany({ where: { dedupeKey, status: "PENDING" }, data: { status: "SKIPPED", result } });
  return res.count === 1;
}
