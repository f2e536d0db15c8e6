import type { MarketplaceConnection, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Services } from "../services.server";
import { createMiraklClient, MiraklError, type MiraklClient } from "../mirakl";
import { decryptSecret, encryptSecret, lastFour, SecretUnreadableError } from "../lib/crypto.server";
import { errorMessage, ValidationError } from "../lib/errors";
import { logger } from "../lib/logger";
import { recordEvent } from "./timeline.server";
import { refreshShopDetails } from "./shops.server";
import { clearUnreadableApiKey } from "./api-key-unreadable.server";
import { SYNC_SCHEDULE, SYNC_SCHEDULE_FIELDS, type SyncScheduleField } from "./sync-schedule";
import { escalationProblem } from "./connection-view";

const log = logger.child({ module: "connections" });

/** What the merchant types in the Connections form. The API key is optional on edit (blank = keep). */
export const connectionCredentialsSchema = z.object({
  name: z.string().trim().min(1, "Give the marketplace a name, e.g. Joules").max(80),
  baseUrl: z
    .string()
    .trim()
    .url("Enter the marketplace's Mirakl address, e.g. https://joules.mirakl.net")
    .refine((u) => /^https?:\/\//.test(u), "The address must start with https://")
    .transform((u) => u.replace(/\/+$/, "").replace(/\/api$/, "")),
  apiKey: z.string().trim().min(8, "Paste the API key from the Mirakl back office (your user menu → API key)"),
  miraklShopId: z
    .string()
    .trim()
    .regex(/^\d*$/, "The shop id is a number (leave empty to use your key's default shop)")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type ConnectionCredentials = z.infer<typeof connectionCredentialsSchema>;

/** A cadence typed on the settings screen: a whole number within the limits the screen's help text explains. */
function cadence(field: SyncScheduleField) {
  const { min, max, tooLow, tooHigh } = SYNC_SCHEDULE[field];
  const notANumber = `Enter a whole number between ${min} and ${max}.`;
  // An emptied field must read as "enter a number", not as 0 (which z.coerce would make of "").
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ invalid_type_error: notANumber }).int(notANumber).min(min, tooLow).max(max, tooHigh),
  );
}

export const connectionSettingsSchema = z
  .object({
  acceptancePolicy: z.enum(["ACCEPT_AUTOMATICALLY", "REFUSE_FAILING", "HOLD_FOR_REVIEW"]),
  acceptanceWindowMinutes: z.coerce.number().int().min(10).max(60 * 24 * 14),
  acceptanceEscalationMinutes: z.coerce.number().int().min(5).max(60 * 24 * 7),
  customerPolicy: z.enum(["NOTIFICATION_EMAIL", "SHARED_CUSTOMER", "NO_CUSTOMER"]),
  sharedCustomerEmail: z.string().trim().email().optional().or(z.literal("").transform(() => undefined)),
  pollIntervalSeconds: cadence("pollIntervalSeconds"),
  backfillHours: cadence("backfillHours"),
  stockPushIntervalSeconds: cadence("stockPushIntervalSeconds"),
  reconcileIntervalMinutes: cadence("reconcileIntervalMinutes"),
  safetyStockMode: z.enum(["FIXED", "PERCENT", "HOLD_BACK_LAST"]),
  safetyStockValue: z.coerce.number().int().min(0).max(100000),
  locationIds: z.array(z.string()).default([]),
  autoSendRefunds: z.coerce.boolean().default(false),
  /** Declared by the merchant where PC01 is silent (see readMarketplaceSettings). */
  partialAcceptance: z.coerce.boolean().default(false),
  partialCancel: z.coerce.boolean().default(false),
  unacknowledgedShipmentMinutes: cadence("unacknowledgedShipmentMinutes"),
  })
  // Checked on the server too (the screen shows it as one types) so no caller can store an escalation that makes
  // every held order urgent the moment it arrives.
  .superRefine((s, ctx) => {
    const problem = escalationProblem(s.acceptanceWindowMinutes, s.acceptanceEscalationMinutes);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["acceptanceEscalationMinutes"], message: problem });
  });
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

export type TestConnectionResult =
  | { kind: "ok"; shopName: string; shopId: string; shopState?: string; currency?: string }
  | { kind: "error"; message: string; retryable: boolean };

/** "Test connection": A01 with the given credentials. Never throws; the message is for the merchant. */
export async function testConnection(input: { baseUrl: string; apiKey: string; miraklShopId?: string; client?: MiraklClient }): Promise<TestConnectionResult> {
  const client = input.client ?? createMiraklClient({ baseUrl: input.baseUrl, apiKey: input.apiKey, shopId: input.miraklShopId, timeoutMs: 10_000, maxReadRetries: 1 });
  try {
    const account = await client.getAccount();
    return {
      kind: "ok",
      shopName: account.shop_name ?? "(unnamed shop)",
      shopId: String(account.shop_id ?? ""),
      shopState: account.shop_state ?? undefined,
      currency: account.currency_iso_code ?? undefined,
    };
  } catch (err) {
    return { kind: "error", message: errorMessage(err), retryable: err instanceof MiraklError ? err.retryable : true };
  }
}

/**
 * The marketplace's own rules, read at connect time and daily (PC01, SH21, SH12, RE01; Mirakl: "once per day").
 * They decide acceptance (automatic or not, partial or not), tax mode, carriers, reasons and multi-shipment.
 */
export async function readMarketplaceSettings(client: MiraklClient) {
  const [config, carriers, shippingTypes, reasons] = await Promise.all([
    client.getPlatformConfiguration(),
    client.listCarriers(),
    client.listShippingTypes(),
    client.listReasons(),
  ]);
  const summary = config.summary;
  return {
    platformConfig: config as unknown as Prisma.InputJsonValue,
    carriers: carriers as unknown as Prisma.InputJsonValue,
    shippingTypes: shippingTypes as unknown as Prisma.InputJsonValue,
    reasons: reasons as unknown as Prisma.InputJsonValue,
    orderTaxMode: summary.orderTaxMode ?? "TAX_INCLUDED",
    marketplaceAutoAccepts: summary.orderAcceptance === "AUTOMATIC",
    // PC01 does not document partial acceptance or partial cancellation: when the marketplace does not say, keep
    // what the merchant declared in the settings (from the marketplace's seller terms) instead of resetting it.
    ...(summary.partialAcceptance === null ? {} : { partialAcceptance: summary.partialAcceptance }),
    ...(summary.partialCancelation === null ? {} : { partialCancel: summary.partialCancelation }),
    multiShipment: summary.multiShipment ?? false,
    allowUnregisteredCarrier: !summary.disableSellerAlternativeCarrier,
    addressBeforeAcceptance: summary.shippingAndBillingDetailsBeforeAcceptance ?? false,
    settingsRefreshedAt: new Date(),
    lastSettingsError: null,
  };
}

export type CreateConnectionResult =
  | { kind: "created"; connection: MarketplaceConnection }
  | { kind: "invalid"; fieldErrors: Record<string, string> }
  | { kind: "unreachable"; message: string };

export async function createConnection({ services, shop, input }: { services: Services; shop: string; input: unknown }): Promise<CreateConnectionResult> {
  const parsed = connectionCredentialsSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid", fieldErrors: fieldErrors(parsed.error) };
  const creds = parsed.data;
  const existing = await services.prisma.marketplaceConnection.findUnique({ where: { shop_name: { shop, name: creds.name } } });
  if (existing) return { kind: "invalid", fieldErrors: { name: `You already have a marketplace called "${creds.name}"` } };
  const client = createMiraklClient({ baseUrl: creds.baseUrl, apiKey: creds.apiKey, shopId: creds.miraklShopId, timeoutMs: 15_000, maxReadRetries: 1 });
  const test = await testConnection({ ...creds, client });
  if (test.kind === "error") return { kind: "unreachable", message: test.message };
  let settings: Awaited<ReturnType<typeof readMarketplaceSettings>>;
  try {
    settings = await readMarketplaceSettings(client);
  } catch (err) {
    return { kind: "unreachable", message: `Connected to ${test.shopName}, but could not read the marketplace's settings: ${errorMessage(err)}` };
  }
  const connection = await services.prisma.marketplaceConnection.create({
    data: {
      shop,
      name: creds.name,
      baseUrl: creds.baseUrl,
      miraklShopId: creds.miraklShopId ?? (test.shopId || null),
      miraklShopName: test.shopName,
      currency: test.currency ?? null,
      apiKeyEncrypted: encryptSecret(creds.apiKey, services.env.ENCRYPTION_KEY),
      apiKeyLast4: lastFour(creds.apiKey),
      ...settings,
      // A marketplace that accepts by itself needs no acceptance policy from us.
      acceptancePolicy: "ACCEPT_AUTOMATICALLY",
    },
  });
  await recordEvent(services.prisma, {
    shop,
    connectionId: connection.id,
    entityType: "connection",
    entityId: connection.id,
    kind: "connected",
    level: "success",
    message: `Connected to ${test.shopName} on ${creds.baseUrl}`,
  });
  log.info("connection created", { shop, connectionId: connection.id });
  await refreshShopDetails({ services, shop });
  return { kind: "created", connection };
}

export type UpdateConnectionResult =
  | { kind: "updated"; connection: MarketplaceConnection }
  | { kind: "invalid"; fieldErrors: Record<string, string> }
  | { kind: "unreachable"; message: string };

/** Credentials edit: a changed URL or key is tested before it replaces the working one. */
export async function updateConnectionCredentials({ services, shop, id, input }: { services: Services; shop: string; id: string; input: Record<string, unknown> }): Promise<UpdateConnectionResult> {
  const current = await getConnection({ services, shop, id });
  const apiKeyGiven = typeof input.apiKey === "string" && input.apiKey.trim() !== "";
  const parsed = connectionCredentialsSchema
    .extend({ apiKey: apiKeyGiven ? connectionCredentialsSchema.shape.apiKey : z.string().optional() })
    .safeParse(input);
  if (!parsed.success) return { kind: "invalid", fieldErrors: fieldErrors(parsed.error) };
  const creds = parsed.data;
  const apiKey = apiKeyGiven ? String(creds.apiKey) : undefined;
  const changed = creds.baseUrl !== current.baseUrl || apiKeyGiven || (creds.miraklShopId ?? null) !== (current.miraklShopId ?? null);
  const data: Prisma.MarketplaceConnectionUpdateInput = { name: creds.name };
  if (changed) {
    const key = apiKey ?? readSavedKey(current.apiKeyEncrypted, services.env.ENCRYPTION_KEY);
    if (key === null) return { kind: "invalid", fieldErrors: { apiKey: "The saved API key can't be read (the app's encryption key changed): enter it again." } };
    const test = await testConnection({ baseUrl: creds.baseUrl, apiKey: key, miraklShopId: creds.miraklShopId });
    if (test.kind === "error") return { kind: "unreachable", message: test.message };
    Object.assign(data, {
      baseUrl: creds.baseUrl,
      miraklShopId: creds.miraklShopId ?? (test.shopId || null),
      miraklShopName: test.shopName,
      ...(apiKeyGiven ? { apiKeyEncrypted: encryptSecret(key, services.env.ENCRYPTION_KEY), apiKeyLast4: lastFour(key) } : {}),
    });
  }
  try {
    const connection = await services.prisma.marketplaceConnection.update({ where: { id: current.id }, data });
    // A new key is the fix for a key the app could no longer decrypt: resume what that paused.
    return { kind: "updated", connection: apiKeyGiven ? await clearUnreadableApiKey(services, connection) : connection };
  } catch (err) {
    if (/Unique constraint/i.test(errorMessage(err))) return { kind: "invalid", fieldErrors: { name: `You already have a marketplace called "${creds.name}"` } };
    throw err;
  }
}

/** The saved key, or null when it can no longer be decrypted (the merchant must type it again). */
function readSavedKey(stored: string, secret: string): string | null {
  try {
    return decryptSecret(stored, secret);
  } catch (err) {
    if (err instanceof SecretUnreadableError) return null;
    throw err;
  }
}

export async function updateConnectionSettings({ services, shop, id, input }: { services: Services; shop: string; id: string; input: unknown }): Promise<UpdateConnectionResult> {
  const current = await getConnection({ services, shop, id });
  const parsed = connectionSettingsSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid", fieldErrors: fieldErrors(parsed.error) };
  const s = parsed.data;
  if (s.customerPolicy === "SHARED_CUSTOMER" && !s.sharedCustomerEmail) {
    return { kind: "invalid", fieldErrors: { sharedCustomerEmail: "Enter the e-mail of the shared marketplace customer" } };
  }
  if (s.acceptancePolicy === "REFUSE_FAILING" && !s.partialAcceptance) {
    // Refusing only the failing lines is a partial acceptance: Mirakl rejects it on this marketplace.
    return { kind: "invalid", fieldErrors: { acceptancePolicy: "This marketplace does not allow partial acceptance: choose accept or hold for review" } };
  }
  const connection = await services.prisma.marketplaceConnection.update({
    where: { id: current.id },
    data: { ...s, sharedCustomerEmail: s.sharedCustomerEmail ?? null },
  });
  // scheduler.tick reads the connection afresh every minute: the new cadence applies from the next tick.
  const changed = SYNC_SCHEDULE_FIELDS.filter((f) => current[f] !== connection[f]);
  if (changed.length > 0) log.info("sync schedule changed", { shop, connectionId: id, changes: Object.fromEntries(changed.map((f) => [f, { from: current[f], to: connection[f] }])) });
  return { kind: "updated", connection };
}

export async function setConnectionPaused({ services, shop, id, paused }: { services: Services; shop: string; id: string; paused: boolean }): Promise<MarketplaceConnection> {
  const current = await getConnection({ services, shop, id });
  const connection = await services.prisma.marketplaceConnection.update({
    where: { id: current.id },
    data: { paused, pausedReason: paused ? "Paused by you" : null },
  });
  await recordEvent(services.prisma, {
    shop,
    connectionId: id,
    entityType: "connection",
    entityId: id,
    kind: paused ? "paused" : "resumed",
    message: paused ? "Sync paused: no orders are accepted or imported and no stock is pushed" : "Sync resumed",
  });
  return connection;
}

export async function refreshConnectionSettings({ services, connection }: { services: Services; connection: MarketplaceConnection }) {
  try {
    const settings = await readMarketplaceSettings(services.mirakl(connection));
    await services.prisma.marketplaceConnection.update({ where: { id: connection.id }, data: settings });
    await services.tasks.resolve({ shop: connection.shop, dedupeKey: `connection-unreachable:${connection.id}` });
    await refreshShopDetails({ services, shop: connection.shop });
    return { kind: "refreshed" as const };
  } catch (err) {
    await services.prisma.marketplaceConnection.update({ where: { id: connection.id }, data: { lastSettingsError: errorMessage(err) } });
    if (err instanceof MiraklError && !err.retryable) {
      await services.tasks.raise({
        shop: connection.shop,
        connectionId: connection.id,
        dedupeKey: `connection-unreachable:${connection.id}`,
        kind: "connection_unreachable",
        severity: "critical",
        title: `${connection.name}: Mirakl refuses our requests`,
        body: `${errorMessage(err)}. Until this is fixed, orders from ${connection.name} are not accepted or imported. Check the API key in the marketplace settings (it may have been regenerated in the Mirakl back office).`,
        actionLabel: "Open marketplace settings",
        actionUrl: `/app/connections/${connection.id}`,
      });
    }
    throw err;
  }
}

export async function getConnection({ services, shop, id }: { services: Services; shop: string; id: string }): Promise<MarketplaceConnection> {
  const connection = await services.prisma.marketplaceConnection.findFirst({ where: { id, shop } });
  if (!connection) throw new ValidationError("This marketplace connection does not exist (it may have been removed).");
  return connection;
}

/** What the browser may see of a connection: never the key, only its last four characters. */
export function connectionView(c: MarketplaceConnection) {
  const { apiKeyEncrypted: _secret, platformConfig: _pc, ...rest } = c;
  return { ...rest, apiKeyMasked: `••••${c.apiKeyLast4}` };
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
