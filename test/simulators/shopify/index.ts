/**
 * Shopify Admin simulator (API 2026-04) for tests and the demo. See README.md in this folder.
 */
export { startShopifySimulator, type ShopifySimulator, type ShopifySimulatorOptions } from "./simulator";
export { ControlError, type ShopifyControl, type Faults, type SimStats, type EmittedEvent } from "./control";
export type { CreateShopInput, CreateShopResult } from "./store";
export type { WebhookConfig, WebhookLogEntry, DeliveryAttempt } from "./webhooks/dispatcher";
export { signWebhook } from "./webhooks/dispatcher";
export type { Subscription } from "./webhooks/subscriptions";
export { parseTomlSubscriptions, SIMULATED_TOPICS } from "./webhooks/subscriptions";
export { PLAN_LIMITS, SINGLE_QUERY_MAX_COST } from "./cost-bucket";
export type { PlanName } from "./model";
export { SCHEMA_API_VERSION } from "./schema";
