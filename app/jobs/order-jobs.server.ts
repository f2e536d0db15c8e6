import type { JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";

/** The orders area's jobs (see app/sync/orders/). */
export const orderJobs: JobDefinition<any>[] = [];

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleOrderJobs(_ctx: ScheduleContext): Promise<number> {
  return 0;
}
