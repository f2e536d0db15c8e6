/**
 * The per-marketplace cadences a merchant may change on the settings screen, with their limits and the reasons for
 * them. Pure (no server code), so the zod schema in connections.server.ts and the help text on the screen are built
 * from the same numbers and can never disagree. scheduler.tick re-reads the connection every minute, so a saved
 * value applies from the next tick without a restart:
 *   pollIntervalSeconds            → scheduleOrderJobs (isPollDue)
 *   backfillHours                  → the first poll's and the backfill sweep's OR11 window (orders/poll.server.ts)
 *   stockPushIntervalSeconds       → the STO01 slot claimed by every push (inventory/push.server.ts)
 *   reconcileIntervalMinutes       → scheduleInventory
 *   unacknowledgedShipmentMinutes  → the unacknowledged-shipment report (fulfilment/unacknowledged-report.server.ts)
 */
export type SyncScheduleField = "pollIntervalSeconds" | "backfillHours" | "stockPushIntervalSeconds" | "reconcileIntervalMinutes" | "unacknowledgedShipmentMinutes";

export interface SyncScheduleLimit {
  label: string;
  min: number;
  max: number;
  /** What the field does and why its limits are what they are, for a merchant. */
  help: string;
  tooLow: string;
  tooHigh: string;
}

export const SYNC_SCHEDULE: Record<SyncScheduleField, SyncScheduleLimit> = {
  pollIntervalSeconds: {
    label: "Check for new orders every (seconds)",
    min: 60,
    max: 15 * 60,
    // Mirakl's call-frequency contract for asynchronous OR11 polling (seller-api-notes §1.9).
    help: "How often we ask the marketplace for new and changed orders. Between 60 seconds (Mirakl allows this check once a minute) and 900 seconds (15 minutes, so orders are still accepted well inside the marketplace's deadline).",
    tooLow: "Enter 60 seconds or more: Mirakl allows checking for orders at most once a minute.",
    tooHigh: "Enter 900 seconds (15 minutes) or less: checking less often risks missing the marketplace's acceptance deadline.",
  },
  backfillHours: {
    label: "Look back for missed orders (hours)",
    min: 1,
    max: 7 * 24,
    help: "A safety sweep every few hours re-reads the orders changed in this many hours, in case a check was missed (the app was down, Mirakl was unavailable). Between 1 and 168 hours (7 days).",
    tooLow: "Enter at least 1 hour.",
    tooHigh: "Enter 168 hours (7 days) or less.",
  },
  stockPushIntervalSeconds: {
    label: "Send stock changes at most every (seconds)",
    min: 60,
    max: 60 * 60,
    // Mirakl's call-frequency contract for STO01 (seller-api-notes §1.9).
    help: "Stock changes made in Shopify are collected and sent together at most this often. Between 60 seconds (Mirakl accepts one stock file a minute) and 3600 seconds (60 minutes; waiting longer lets the marketplace sell stock you no longer have).",
    tooLow: "Enter 60 seconds or more: Mirakl accepts at most one stock file a minute.",
    tooHigh: "Enter 3600 seconds (60 minutes) or less: waiting longer lets the marketplace sell stock you no longer have.",
  },
  reconcileIntervalMinutes: {
    label: "Compare all stock every (minutes)",
    min: 15,
    max: 24 * 60,
    help: "A full comparison of every offer's quantity on the marketplace with Shopify, correcting any difference (for example after a lost update). Between 15 minutes and 1440 minutes (24 hours).",
    tooLow: "Enter 15 minutes or more: a full comparison reads every offer and takes a while on large catalogues.",
    tooHigh: "Enter 1440 minutes (24 hours) or less: stock must be checked at least once a day.",
  },
  unacknowledgedShipmentMinutes: {
    label: "Flag unacknowledged shipments after (minutes)",
    min: 15,
    max: 48 * 60,
    help: "A shipment Mirakl has not confirmed within this time becomes a task, so the customer is not left without tracking. Between 15 minutes (Mirakl often needs a few minutes) and 2880 minutes (48 hours).",
    tooLow: "Enter 15 minutes or more: Mirakl often needs a few minutes to confirm a shipment.",
    tooHigh: "Enter 2880 minutes (48 hours) or less: later, the customer has waited too long for tracking.",
  },
};

export const SYNC_SCHEDULE_FIELDS = Object.keys(SYNC_SCHEDULE) as SyncScheduleField[];
