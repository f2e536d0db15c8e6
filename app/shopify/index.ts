/**
 * All Admin GraphQL of the app. Imports nothing from app/mirakl, app/sync or the database (only app/lib);
 * sync/ composes these operations with the Mirakl side.
 */
export * from "./admin-client";
export * from "./bulk-jsonl";
export * from "./bulk-operations";
export * from "./documents";
export * from "./errors";
export * from "./fulfillments";
export * from "./gid";
export * from "./idempotency-key";
export * from "./inventory";
export * from "./locations";
export * from "./order-cancel";
export * from "./order-create";
export * from "./order-details";
export * from "./order-edit";
export * from "./order-lookup";
export * from "./order-metadata";
export * from "./order-refund-context";
export * from "./pagination";
export * from "./refunds";
export * from "./schemas";
export * from "./search-query";
export * from "./shop";
export * from "./throttle-bucket";
export * from "./user-errors";
export * from "./variants";
export * from "./variant-search";
