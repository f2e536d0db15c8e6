import type { JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";

/** The inventory area's jobs (see app/sync/inventory/). */
export const inventoryJobs: JobDefinition<any>[] = [];

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleInventoryJobs(_ctx: ScheduleContext): Promise<number> {
  return 0;
}
