/** Dedupe keys of the inventory flow's Tasks: raised idempotently, resolved by the same key when the cause clears. */
export function stockImportErrorTaskKey(connectionId: string, offerSku: string): string {
  return `stock-import-error:${connectionId}:${offerSku}`;
}

/** Mirakl refuses the stock file itself (not one of its lines), or the push keeps failing. */
export function stockPushFailedTaskKey(connectionId: string): string {
  return `stock-push-failed:${connectionId}`;
}

/** Several stock imports in a row ended FAILED at Mirakl. */
export function stockImportFailedTaskKey(connectionId: string): string {
  return `stock-import-failed:${connectionId}`;
}

/** More refused lines than we raise one Task each for: one summary Task. */
export function stockImportErrorsSummaryTaskKey(connectionId: string): string {
  return `stock-import-errors:${connectionId}`;
}

/** The marketplace has no Shopify location to sell from: stock sync waits for the merchant's choice. */
export function stockLocationsMissingTaskKey(connectionId: string): string {
  return `stock-locations-missing:${connectionId}`;
}

export const STOCK_TASK_KINDS = ["stock_import_error", "stock_push_failed", "stock_import_failed", "stock_locations_missing"] as const;
