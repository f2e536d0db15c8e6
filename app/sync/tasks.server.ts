import type { PrismaClient, Task } from "@prisma/client";
import { logger } from "../lib/logger";
import { describeJob } from "../jobs/job-labels";

/**
 * Tasks are the merchant-facing side of every exception: something a person must act on, in plain language,
 * with the action that fixes it. Each has a stable dedupe key (`unmapped-sku:<connection>:<sku>`), so raising
 * it again only bumps `occurrences`, and the code that clears the cause resolves it by the same key.
 */
export interface RaiseTaskInput {
  shop: string;
  connectionId?: string | null;
  dedupeKey: string;
  kind: string;
  severity?: "critical" | "warning" | "info";
  title: string;
  body: string;
  actionLabel?: string;
  actionUrl?: string;
  entityType?: string;
  entityId?: string;
  dueAt?: Date | null;
  data?: unknown;
}

const log = logger.child({ module: "tasks" });

export function createTaskService(prisma: PrismaClient) {
  return {
    /**
     * Idempotent: one row per (shop, dedupeKey). A resolved task whose cause returns is reopened.
     * A dismissed one is reopened only when it is raised as critical: critical means money is lost unless someone
     * acts (a held order Mirakl will refuse, shipments Mirakl never hears of), so a dismissal must not silence it
     * when the problem happens again, or when a held order's deadline draws near (escalation re-raises it as
     * critical). A warning or info task the merchant dismissed is something they chose to live with (a totals
     * difference, a refund handled in the back office); reopening it at every recurrence would only teach them
     * to ignore the list, so it stays dismissed (they can still reopen it from the Dismissed tab).
     */
    async raise(input: RaiseTaskInput): Promise<Task> {
      // INSERT … ON CONFLICT is atomic under READ COMMITTED; a read-then-write upsert would race between workers.
      const rows = await prisma.$queryRaw<Task[]>`
        INSERT INTO "Task" ("id", "shop", "connectionId", "dedupeKey", "kind", "severity", "title", "body", "actionLabel",
          "actionUrl", "entityType", "entityId", "dueAt", "data", "status", "occurrences", "createdAt", "updatedAt")
        VALUES (gen_random_uuid()::text, ${input.shop}, ${input.connectionId ?? null}, ${input.dedupeKey}, ${input.kind},
          ${input.severity ?? "warning"}, ${input.title}, ${input.body}, ${input.actionLabel ?? null}, ${input.actionUrl ?? null},
          ${input.entityType ?? null}, ${input.entityId ?? null}, ${input.dueAt ?? null},
          ${input.data === undefined ? null : JSON.stringify(input.data)}::jsonb, 'OPEN', 1, now(), now())
        ON CONFLICT ("shop", "dedupeKey") DO UPDATE SET
          "title" = EXCLUDED."title", "body" = EXCLUDED."body", "severity" = EXCLUDED."severity",
          "actionLabel" = EXCLUDED."actionLabel", "actionUrl" = EXCLUDED."actionUrl",
          "dueAt" = COALESCE(EXCLUDED."dueAt", "Task"."dueAt"), "data" = COALESCE(EXCLUDED."data", "Task"."data"),
          "occurrences" = "Task"."occurrences" + 1,
          "status" = CASE WHEN "Task"."status" = 'DISMISSED' AND EXCLUDED."severity" <> 'critical' THEN 'DISMISSED' ELSE 'OPEN' END,
          "resolvedAt" = CASE WHEN "Task"."status" = 'DISMISSED' AND EXCLUDED."severity" <> 'critical' THEN "Task"."resolvedAt" ELSE NULL END,
          "resolvedBy" = CASE WHEN "Task"."status" = 'DISMISSED' AND EXCLUDED."severity" <> 'critical' THEN "Task"."resolvedBy" ELSE NULL END,
          "updatedAt" = now()
        RETURNING *`;
      const task = rows[0]!;
      if (task.occurrences === 1) log.info("task raised", { shop: input.shop, dedupeKey: input.dedupeKey, kind: input.kind });
      return task;
    },

    /** Resolves an open task when its cause has cleared. Returns whether one was open. */
    async resolve(input: { shop: string; dedupeKey: string; by?: string }): Promise<boolean> {
      const res = await prisma.task.updateMany({
        where: { shop: input.shop, dedupeKey: input.dedupeKey, status: "OPEN" },
        data: { status: "RESOLVED", resolvedAt: new Date(), resolvedBy: input.by ?? "auto" },
      });
      return res.count > 0;
    },

    async dismiss(input: { shop: string; id: string; by?: string }): Promise<boolean> {
      const res = await prisma.task.updateMany({
        where: { shop: input.shop, id: input.id, status: "OPEN" },
        data: { status: "DISMISSED", resolvedAt: new Date(), resolvedBy: input.by ?? "user" },
      });
      return res.count > 0;
    },

    /** Undoes a dismissal (the merchant's "Reopen"). Resolved tasks are not reopened by hand: their cause cleared. */
    async reopen(input: { shop: string; id: string }): Promise<boolean> {
      const res = await prisma.task.updateMany({
        where: { shop: input.shop, id: input.id, status: "DISMISSED" },
        data: { status: "OPEN", resolvedAt: null, resolvedBy: null },
      });
      return res.count > 0;
    },

    /** A background job that failed for good: the merchant sees what did not happen and can retry it. */
    async raiseJobFailure(input: { jobName: string; payload: unknown; error: string }): Promise<void> {
      const p = (input.payload ?? {}) as Record<string, unknown>;
      const shop = typeof p.shop === "string" ? p.shop : undefined;
      if (!shop) {
        log.error("job failed with no shop to tell", { jobName: input.jobName, error: input.error });
        return;
      }
      const entity = [p.connectionId, p.miraklOrderId, p.orderLinkId, p.deliveryId].filter((v) => typeof v === "string").join(":");
      const connectionId = typeof p.connectionId === "string" ? p.connectionId : null;
      const connection = connectionId ? await prisma.marketplaceConnection.findFirst({ where: { id: connectionId, shop }, select: { name: true } }) : null;
      const what = describeJob(input.jobName, connection?.name);
      await this.raise({
        shop,
        connectionId,
        dedupeKey: `job-failed:${input.jobName}:${entity}`,
        kind: "job_failed",
        severity: "critical",
        title: `Couldn't ${what}`,
        body: `The app tried to ${what} several times and it still failed: ${input.error}. Nothing was lost: once the cause is fixed, use Retry to run it again.`,
        actionLabel: "Retry",
        // A new failure replaces the payload and drops any earlier "retry queued" mark (see retryJobTask in app/jobs/retry-task.server.ts).
        data: { jobName: input.jobName, payload: input.payload },
      });
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
