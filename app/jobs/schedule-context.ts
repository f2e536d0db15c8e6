import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../services.server";

/** What each area's scheduler gets every minute (scheduler.tick), once per unpaused connection. */
export interface ScheduleContext {
  services: Services;
  connection: MarketplaceConnection;
  now: Date;
}

/** Enqueues the area's due jobs for one connection; returns how many were newly enqueued. */
export type AreaScheduler = (ctx: ScheduleContext) => Promise<number>;
