/**
 * Held orders whose acceptance deadline approaches (connection.acceptanceEscalationMinutes before it): the
 * held-order Task becomes critical and says how much time is left. Mirakl sends no deadline (notes §4.3); it is
 * created_date + the marketplace window the merchant configured.
 */
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { heldOrderTask, orderTaskKeys, formatDuration } from "./order-tasks";
import { recordOrderEvents } from "./order-timeline.server";
import { raiseWhileTrue, stillHeldAtAcceptance } from "./task-guard.server";
import { shopTimeZone } from "../shops.server";

const log = logger.child({ module: "orders.escalation" });

export async function escalateHeldOrders({ services, connectionId }: { services: Services; connectionId: string }): Promise<{ escalated: number; refreshed: number }> {
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { escalated: 0, refreshed: 0 };
  const now = services.now();
  const horizon = new Date(now.getTime() + connection.acceptanceEscalationMinutes * 60_000);
  const held = await services.prisma.orderLink.findMany({
    where: { connectionId, acceptanceStatus: "HELD", miraklState: "WAITING_ACCEPTANCE", acceptanceDeadline: { lte: horizon } },
    orderBy: { acceptanceDeadline: "asc" },
    take: 500,
  });
  let escalated = 0;
  let refreshed = 0;
  const timeZone = await shopTimeZone(services.prisma, connection.shop);
  // Every held order's Task in one read rather than one query per order (up to 500 a tick).
  const keyOf = (link: (typeof held)[number]) => orderTaskKeys.heldOrder(connection.id, link.miraklOrderId);
  const tasks = await services.prisma.task.findMany({ where: { shop: connection.shop, dedupeKey: { in: held.map(keyOf) } } });
  const taskByKey = new Map(tasks.map((t) => [t.dedupeKey, t]));
  for (const link of held) {
    const summary = (link.holdReason ?? "").replace(/^[A-Z_]+: /, "") || "it needs a decision";
    const input = heldOrderTask({ connection, link, summary, now, escalated: true, timeZone });
    const dedupeKey = keyOf(link);
    const task = taskByKey.get(dedupeKey);
    // A held-order task dismissed while it was a mere warning is raised again (critical) as the deadline nears:
    // otherwise the order would be refused with nobody told. Once the merchant dismissed it as critical (the countdown in
    // front of them), they knowingly let it go: re-raising it at every tick would make Dismiss pointless.
    if (task?.status === "DISMISSED" && task.severity === "critical") continue;
    if (!task || task.status !== "OPEN" || !task.escalatedAt) {
      await raiseWhileTrue(services, input, stillHeldAtAcceptance(services, link.id));
      await services.prisma.task.updateMany({ where: { shop: link.shop, dedupeKey, escalatedAt: null }, data: { escalatedAt: now } });
      const left = (link.acceptanceDeadline?.getTime() ?? now.getTime()) - now.getTime();
      await recordOrderEvents(services.prisma, link, [{ kind: "escalated", level: "error", message: `Escalated: ${left > 0 ? `${formatDuration(left)} left` : "the deadline has passed"} to accept or refuse` }]);
      escalated++;
    } else if (task.title !== input.title) {
      // The countdown in the title, refreshed without counting a new occurrence.
      await services.prisma.task.updateMany({ where: { id: task.id, status: "OPEN" }, data: { title: input.title, body: input.body, severity: "critical", actionLabel: input.actionLabel ?? null, actionUrl: input.actionUrl ?? null } });
      refreshed++;
    }
  }
  if (escalated > 0) log.warn("held orders escalated", { shop: connection.shop, connectionId, escalated });
  return { escalated, refreshed };
}
