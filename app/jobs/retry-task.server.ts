import { z } from "zod";
import type { Prisma } from "@prisma/client";
import type { Services } from "../services.server";
import { errorMessage } from "../lib/errors";
import { logger } from "../lib/logger";

const log = logger.child({ module: "jobs.retry" });

/** What raiseJobFailure stores on a job_failed Task, plus when the merchant last queued it again. */
export const jobFailureDataSchema = z.object({
  jobName: z.string().min(1),
  payload: z.record(z.unknown()),
  retryQueuedAt: z.string().optional(),
});

export type RetryJobTaskResult =
  | { kind: "queued" }
  | { kind: "already_waiting" }
  | { kind: "not_retryable"; message: string };

/**
 * The job_failed Task's Retry: queue the failed job again with the payload it failed with. The Task stays open
 * and says "queued"; the runner resolves it when that run succeeds, and a new failure updates it again.
 */
export async function retryJobTask({ services, shop, id }: { services: Pick<Services, "prisma" | "jobs" | "now">; shop: string; id: string }): Promise<RetryJobTaskResult> {
  const task = await services.prisma.task.findFirst({ where: { id, shop, kind: "job_failed", status: "OPEN" } });
  if (!task) return { kind: "not_retryable", message: "This task is no longer open: nothing to retry." };
  const data = jobFailureDataSchema.safeParse(task.data);
  if (!data.success) return { kind: "not_retryable", message: "This task does not say which step failed, so it can't be run again from here." };
  const { jobName, payload } = data.data;
  if (!services.jobs.definitions().some((d) => d.name === jobName)) {
    return { kind: "not_retryable", message: "This step no longer exists in this version of the app; the next scheduled sync does its work." };
  }
  // Runner bookkeeping (__job, an earlier __retryTask) is not part of the job's payload.
  const clean = Object.fromEntries(Object.entries(payload).filter(([k]) => !k.startsWith("__")));
  let jobId: string | null;
  try {
    jobId = await services.jobs.enqueueByName(jobName, clean, { retryTask: { shop, dedupeKey: task.dedupeKey } });
  } catch (err) {
    log.warn("retry could not be queued", { shop, taskId: id, jobName, error: errorMessage(err) });
    return { kind: "not_retryable", message: "The saved details of this step are no longer valid, so it can't be run again from here." };
  }
  if (jobId === null) return { kind: "already_waiting" };
  const next: Prisma.InputJsonValue = { ...data.data, retryQueuedAt: services.now().toISOString() } as Prisma.InputJsonValue;
  await services.prisma.task.updateMany({ where: { id, shop, status: "OPEN" }, data: { data: next } });
  log.info("failed job queued again", { shop, taskId: id, jobName, jobId });
  return { kind: "queued" };
}
