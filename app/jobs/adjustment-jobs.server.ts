import type { JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";

/** The adjustments area's jobs (see app/sync/adjustments/). */
export const adjustmentJobs: JobDefinition<any>[] = [];

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleAdjustmentJobs(_ctx: ScheduleContext): Promise<number> {
  return 0;
}
