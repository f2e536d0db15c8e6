import type { Payout, PrismaClient } from "@prisma/client";
import { toCents } from "../orders/money";
import { buildPayoutReport, type OrderMatch, type PayoutLine, type PayoutReport, type RefundCheck } from "./matching";

/** Refunds made in Shopify carry a Shopify GID; `mirakl:` ones are back-office Mirakl refunds mirrored into Shopify. */
const MIRRORED_FROM_MIRAKL = "mirakl:";

type LineRow = {
  type: string;
  amount: { toString(): string };
  miraklOrderId: string | null;
  miraklRefundId: string | null;
};

function toLine(r: LineRow): PayoutLine {
  return {
    type: r.type,
    cents: toCents(Number(r.amount.toString())),
    miraklOrderId: r.miraklOrderId,
    miraklRefundId: r.miraklRefundId,
  };
}

export function paidCents(p: Pick<Payout, "amountToSeller" | "amountToOperator">): number {
  return toCents(Number(p.amountToSeller.toString())) - toCents(Number(p.amountToOperator.toString()));
}

/**
 * One payout's report from the database: its lines, their orders' Shopify matches, and the Shopify refunds made
 * between the previous payout and this one (Mirakl's refund lines for them should be in this payout, so this is
 * where a missing one means the commission was not recovered).
 */
export async function loadPayoutReport({ prisma, payout }: { prisma: PrismaClient; payout: Payout }): Promise<PayoutReport> {
  const rows = await prisma.payoutTransaction.findMany({
    where: {
      connectionId: payout.connectionId,
      miraklCycleId: payout.miraklCycleId,
    },
    select: {
      type: true,
      amount: true,
      miraklOrderId: true,
      miraklRefundId: true,
    },
  });
  const orderIds = [...new Set(rows.map((r) => r.miraklOrderId).filter((v): v is string => !!v))];
  const links = orderIds.length
    ? await prisma.orderLink.findMany({
        where: {
          connectionId: payout.connectionId,
          miraklOrderId: { in: orderIds },
        },
        select: {
          id: true,
          miraklOrderId: true,
          shopifyOrderId: true,
          shopifyOrderName: true,
        },
      })
    : [];
  const matches = new Map<string, OrderMatch>(
    links.map((l) => [
      l.miraklOrderId,
      {
        orderLinkId: l.id,
        shopifyOrderId: l.shopifyOrderId,
        shopifyOrderName: l.shopifyOrderName,
      },
    ])
  );

  let refundChecks: { refunds: RefundCheck[]; orderLines: PayoutLine[] } | undefined;
  if (payout.cycleCreatedAt) {
    const previous = await prisma.payout.findFirst({
      where: {
        connectionId: payout.connectionId,
        cycleCreatedAt: { lt: payout.cycleCreatedAt },
      },
      orderBy: { cycleCreatedAt: "desc" },
      select: { cycleCreatedAt: true },
    });
    const requests = await prisma.refundRequest.findMany({
      where: {
        connectionId: payout.connectionId,
        NOT: { shopifyRefundId: { startsWith: MIRRORED_FROM_MIRAKL } },
        createdAt: {
          lt: payout.cycleCreatedAt,
          ...(previous?.cycleCreatedAt ? { gte: previous.cycleCreatedAt } : {}),
        },
      },
      select: {
        id: true,
        orderLinkId: true,
        shopifyAmount: true,
        miraklRefundIds: true,
        createdAt: true,
      },
    });
    if (requests.length) {
      const refundLinks = await prisma.orderLink.findMany({
        where: { id: { in: [...new Set(requests.map((r) => r.orderLinkId))] } },
        select: { id: true, miraklOrderId: true, shopifyOrderName: true },
      });
      const byId = new Map(refundLinks.map((l) => [l.id, l]));
      const refunds: RefundCheck[] = [];
      for (const r of requests) {
        const link = byId.get(r.orderLinkId);
        if (!link) continue;
        refunds.push({
          refundRequestId: r.id,
          miraklOrderId: link.miraklOrderId,
          shopifyOrderName: link.shopifyOrderName,
          shopifyAmountCents: r.shopifyAmount === null ? null : toCents(Number(r.shopifyAmount.toString())),
          refundedAt: r.createdAt,
          miraklRefundIds: r.miraklRefundIds,
        });
      }
      const orderLines = await prisma.payoutTransaction.findMany({
        where: {
          connectionId: payout.connectionId,
          miraklOrderId: {
            in: [...new Set(refunds.map((r) => r.miraklOrderId))],
          },
        },
        select: {
          type: true,
          amount: true,
          miraklOrderId: true,
          miraklRefundId: true,
        },
      });
      refundChecks = { refunds, orderLines: orderLines.map(toLine) };
    }
  }
  return buildPayoutReport({
    lines: rows.map(toLine),
    paidCents: paidCents(payout),
    complete: payout.linesStatus === "COMPLETE",
    matches,
    refundChecks,
  });
}
