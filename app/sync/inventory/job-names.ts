/**
 * The inventory jobs' names. Sync code enqueues by name (services.jobs.enqueueByName) so app/sync never imports
 * app/jobs (dependency direction: jobs → sync); app/jobs/inventory-jobs.server.ts defines the jobs under these names.
 */
export const INVENTORY_PUSH_JOB = "inventory.push";
export const INVENTORY_IMPORT_STATUS_JOB = "inventory.import-status";
export const INVENTORY_RECONCILE_JOB = "inventory.reconcile";

/** A burst of inventory webhooks (a 20-line order, a stock count) becomes one push: wait this long for the rest. */
export const PUSH_DEBOUNCE_SECONDS = 2;
/** Mirakl processes a stock file in seconds; the first STO02 look comes a little later (STO02 is paced 1/15 s anyway). */
export const FIRST_STATUS_POLL_SECONDS = 5;
export const STATUS_POLL_SECONDS = 15;
/** A refused offer line (STO03) or a refused file is tried again after this long, not every minute. */
export const RETRY_REFUSED_AFTER_MS = 15 * 60_000;
