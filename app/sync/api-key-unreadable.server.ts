/**
 * A marketplace whose saved Mirakl API key can no longer be decrypted (ENCRYPTION_KEY changed since it was saved).
 * Every job for that marketplace would fail the same way, so instead of one "job failed" Task per job with Node's
 * crypto message, the connection is paused with the reason and one Task says what to do: enter the key again.
 * Saving a new key (updateConnectionCredentials) resumes it and resolves the Task.
 */
import type { MarketplaceConnection, PrismaClient } from "@prisma/client";
import { SecretUnreadableError } from "../lib/crypto.server";
import { logger } from "../lib/logger";
import type { TaskService } from "./tasks.server";
import { recordEvent } from "./timeline.server";

const log = logger.child({ module: "connections" });

/** The pause reason this flow sets (and the only one it clears: a pause by the merchant stays). */
export const API_KEY_UNREADABLE_REASON = "The saved Mirakl API key can't be read (the app's encryption key changed). Enter the API key again";

export const apiKeyUnreadableTaskKey = (connectionId: string) => `api-key-unreadable:${connectionId}`;

/** SecretUnreadableError for one connection's Mirakl key: carries what the job runner needs to pause it. */
export class ApiKeyUnreadableError extends SecretUnreadableError {
  readonly connectionId: string;
  readonly shop: string;
  constructor(input: { shop: string; connectionId: string; cause?: unknown }) {
    super(`${API_KEY_UNREADABLE_REASON} on the marketplace's settings.`, { cause: input.cause, details: { connectionId: input.connectionId } });
    this.connectionId = input.connectionId;
    this.shop = input.shop;
  }
}

export async function pauseForUnreadableApiKey(deps: { prisma: PrismaClient; tasks: TaskService }, input: { shop: string; connectionId: string }): Promise<void> {
  const connection = await deps.prisma.marketplaceConnection.findFirst({ where: { id: input.connectionId, shop: input.shop } });
  if (!connection) return;
  if (connection.pausedReason !== API_KEY_UNREADABLE_REASON) {
    await deps.prisma.marketplaceConnection.update({ where: { id: connection.id }, data: { paused: true, pausedReason: API_KEY_UNREADABLE_REASON } });
    await recordEvent(deps.prisma, {
      shop: connection.shop,
      connectionId: connection.id,
      entityType: "connection",
      entityId: connection.id,
      kind: "paused",
      level: "error",
      message: `Sync paused: ${API_KEY_UNREADABLE_REASON.charAt(0).toLowerCase()}${API_KEY_UNREADABLE_REASON.slice(1)}`,
    });
    log.error("connection paused: stored API key cannot be decrypted", { shop: connection.shop, connectionId: connection.id });
  }
  await deps.tasks.raise({
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: apiKeyUnreadableTaskKey(connection.id),
    kind: "api_key_unreadable",
    severity: "critical",
    title: `${connection.name}: enter the Mirakl API key again`,
    body:
      `The saved Mirakl API key for ${connection.name} can't be read (the app's encryption key changed). Enter the API key again on the marketplace's settings. ` +
      `Until then ${connection.name} is paused: no orders are accepted or imported and no stock is sent, and ${connection.name} may refuse orders nobody accepts in time.`,
    actionLabel: "Enter the API key",
    actionUrl: `/app/connections/${connection.id}`,
    entityType: "connection",
    entityId: connection.id,
  });
}

/** After a new key was saved: resume a connection this flow paused, and close its Task. */
export async function clearUnreadableApiKey(deps: { prisma: PrismaClient; tasks: TaskService }, connection: MarketplaceConnection): Promise<MarketplaceConnection> {
  const resumed = await deps.prisma.marketplaceConnection.updateMany({
    where: { id: connection.id, pausedReason: API_KEY_UNREADABLE_REASON },
    data: { paused: false, pausedReason: null },
  });
  if (resumed.count > 0) {
    await recordEvent(deps.prisma, { shop: connection.shop, connectionId: connection.id, entityType: "connection", entityId: connection.id, kind: "resumed", message: "Sync resumed: a new API key was saved" });
  }
  await deps.tasks.resolve({ shop: connection.shop, dedupeKey: apiKeyUnreadableTaskKey(connection.id), by: "auto" });
  return resumed.count > 0 ? { ...connection, paused: false, pausedReason: null } : connection;
}
