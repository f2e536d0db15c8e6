import type { JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";

/** The fulfilment area's jobs (see app/sync/fulfilment/). */
export const fulfilmentJobs: JobDefinition<any>[] = [];

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleFulfilmentJobs(_ctx: ScheduleContext): Promise<number> {
  return 0;
}
