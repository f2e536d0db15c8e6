import type { JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";

/** The catalogue area's jobs (see app/sync/catalogue/). */
export const catalogueJobs: JobDefinition<any>[] = [];

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleCatalogueJobs(_ctx: ScheduleContext): Promise<number> {
  return 0;
}
