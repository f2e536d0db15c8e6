import type { CarrierMapping } from "@prisma/client";
import { z } from "zod";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { getConnection } from "../connections.server";
import { recordEvent } from "../timeline.server";
import { carrierKey, suggestCarriers, type CarrierSuggestion } from "./carrier-match";
import { FULFILMENT_JOB, enqueuePush } from "./fulfilment-queue.server";
import { fulfilmentTaskKeys } from "./fulfilment-tasks.server";
import { readCarriers, type MarketplaceCarrier } from "./marketplace-reference";

const log = logger.child({ module: "carrier-mappings" });

export interface HeldShipment {
  fulfillmentLinkId: string;
  orderLinkId: string;
  miraklOrderId: string;
  shopifyOrderName: string | null;
  trackingNumber: string | null;
  since: string;
}

export interface CarrierRow {
  id: string;
  key: string;
  name: string;
  miraklCarrierCode: string | null;
  useUnregistered: boolean;
  source: string;
  /** MAPPED (a valid code), UNLISTED (sent by name), AUTO (exact match applied), NEEDS_CARRIER, INVALID_CODE */
  status: "MAPPED" | "AUTO" | "UNLISTED" | "NEEDS_CARRIER" | "INVALID_CODE" | "UNLISTED_FORBIDDEN";
  suggestions: Array<{ code: string; label: string; score: number; why: CarrierSuggestion["why"] }>;
  held: HeldShipment[];
  updatedAt: string;
}

export interface CarrierScreen {
  connections: Array<{ id: string; name: string }>;
  connection: { id: string; name: string; allowUnregisteredCarrier: boolean; settingsRefreshedAt: string | null; multiShipment: boolean } | null;
  carriers: MarketplaceCarrier[];
  rows: CarrierRow[];
}

/** The carrier mapping screen of one marketplace: its SH21 carriers beside every tracking company seen in Shopify. */
export async function loadCarrierScreen({ services, shop, connectionId }: { services: Services; shop: string; connectionId?: string | null }): Promise<CarrierScreen> {
  const prisma = services.prisma;
  const connections = await prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { name: "asc" } });
  const connection = connections.find((c) => c.id === connectionId) ?? connections[0] ?? null;
  const list = connections.map((c) => ({ id: c.id, name: c.name }));
  if (!connection) return { connections: list, connection: null, carriers: [], rows: [] };
  const carriers = readCarriers(connection.carriers);
  const mappings = await prisma.carrierMapping.findMany({ where: { connectionId: connection.id } });
  const heldLinks = await prisma.fulfillmentLink.findMany({ where: { connectionId: connection.id, status: "HELD", trackingCompany: { not: null } }, orderBy: { createdAt: "asc" } });
  const orders = await prisma.orderLink.findMany({
    where: { id: { in: [...new Set(heldLinks.map((l) => l.orderLinkId))] } },
    select: { id: true, miraklOrderId: true, shopifyOrderName: true },
  });
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const heldByKey = new Map<string, HeldShipment[]>();
  for (const l of heldLinks) {
    const key = carrierKey(l.trackingCompany ?? "");
    const o = orderById.get(l.orderLinkId);
    const entry: HeldShipment = {
      fulfillmentLinkId: l.id,
      orderLinkId: l.orderLinkId,
      miraklOrderId: o?.miraklOrderId ?? "?",
      shopifyOrderName: o?.shopifyOrderName ?? null,
      trackingNumber: l.trackingNumber,
      since: l.createdAt.toISOString(),
    };
    heldByKey.set(key, [...(heldByKey.get(key) ?? []), entry]);
  }
  const rows = mappings.map((m) => toRow(m, carriers, connection.allowUnregisteredCarrier, heldByKey.get(m.shopifyCarrierKey) ?? []));
  // Held first (they cost money), then the ones still to map, then by name.
  const rank = (r: CarrierRow) => (r.held.length > 0 ? 0 : r.status === "NEEDS_CARRIER" || r.status === "INVALID_CODE" || r.status === "UNLISTED_FORBIDDEN" ? 1 : 2);
  rows.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return {
    connections: list,
    connection: {
      id: connection.id,
      name: connection.name,
      allowUnregisteredCarrier: connection.allowUnregisteredCarrier,
      settingsRefreshedAt: connection.settingsRefreshedAt?.toISOString() ?? null,
      multiShipment: connection.multiShipment,
    },
    carriers,
    rows,
  };
}

function toRow(m: CarrierMapping, carriers: MarketplaceCarrier[], allowUnregistered: boolean, held: HeldShipment[]): CarrierRow {
  const valid = m.miraklCarrierCode ? carriers.some((c) => c.code === m.miraklCarrierCode) : false;
  const status: CarrierRow["status"] = m.miraklCarrierCode
    ? valid
      ? m.source === "AUTO"
        ? "AUTO"
        : "MAPPED"
      : "INVALID_CODE"
    : m.useUnregistered
      ? allowUnregistered
        ? "UNLISTED"
        : "UNLISTED_FORBIDDEN"
      : "NEEDS_CARRIER";
  return {
    id: m.id,
    key: m.shopifyCarrierKey,
    name: m.shopifyCarrierName,
    miraklCarrierCode: m.miraklCarrierCode,
    useUnregistered: m.useUnregistered,
    source: m.source,
    status,
    suggestions: suggestCarriers(m.shopifyCarrierName, carriers).map((s) => ({ code: s.carrier.code, label: s.carrier.label, score: s.score, why: s.why })),
    held,
    updatedAt: m.updatedAt.toISOString(),
  };
}

export const carrierMappingInputSchema = z
  .object({
    connectionId: z.string().min(1),
    shopifyCarrierName: z.string().trim().min(1, "Enter the tracking company exactly as it appears on your fulfilments").max(200),
    /** "" = none */
    miraklCarrierCode: z.string().trim().optional().transform((v) => (v ? v : null)),
    useUnregistered: z
      .union([z.boolean(), z.string()])
      .optional()
      .transform((v) => v === true || v === "true" || v === "on"),
  })
  .refine((v) => v.miraklCarrierCode !== null || v.useUnregistered, { message: "Choose one of the marketplace's carriers", path: ["miraklCarrierCode"] })
  .refine((v) => !(v.miraklCarrierCode !== null && v.useUnregistered), { message: "Choose a carrier or the unlisted option, not both", path: ["useUnregistered"] });

export type SaveCarrierMappingResult =
  | { kind: "saved"; key: string; code: string | null; useUnregistered: boolean; released: number; /** "Royal Mail Tracked 24 (RM24)", for the screen. */ label: string }
  | { kind: "invalid"; fieldErrors: Record<string, string> };

/**
 * The merchant maps a tracking company. The code must be one of this marketplace's SH21 carriers (validated
 * here, not trusted from the form), "unlisted" only where PC01 allows it. Saving releases every fulfilment held
 * for that company (their pushes are queued) and resolves the Task.
 */
export async function saveCarrierMapping({ services, shop, input }: { services: Services; shop: string; input: unknown }): Promise<SaveCarrierMappingResult> {
  const parsed = carrierMappingInputSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { kind: "invalid", fieldErrors };
  }
  const { connectionId, shopifyCarrierName, miraklCarrierCode, useUnregistered } = parsed.data;
  const connection = await getConnection({ services, shop, id: connectionId });
  const carriers = readCarriers(connection.carriers);
  if (miraklCarrierCode && !carriers.some((c) => c.code === miraklCarrierCode)) {
    return { kind: "invalid", fieldErrors: { miraklCarrierCode: `${miraklCarrierCode} is not one of ${connection.name}'s carriers` } };
  }
  if (useUnregistered && !connection.allowUnregisteredCarrier) {
    return { kind: "invalid", fieldErrors: { useUnregistered: `${connection.name} does not accept unlisted carriers: choose one of its carriers` } };
  }
  const key = carrierKey(shopifyCarrierName);
  const prisma = services.prisma;
  await prisma.carrierMapping.upsert({
    where: { connectionId_shopifyCarrierKey: { connectionId, shopifyCarrierKey: key } },
    create: { connectionId, shopifyCarrierKey: key, shopifyCarrierName, miraklCarrierCode, useUnregistered, source: "MANUAL" },
    update: { miraklCarrierCode, useUnregistered, source: "MANUAL" },
  });
  const label = miraklCarrierCode ? `${carriers.find((c) => c.code === miraklCarrierCode)?.label ?? miraklCarrierCode} (${miraklCarrierCode})` : "an unlisted carrier (name and tracking link)";
  await recordEvent(prisma, {
    shop,
    connectionId,
    entityType: "connection",
    entityId: connectionId,
    kind: "carrier_mapped",
    level: "success",
    message: `Carrier "${shopifyCarrierName}" mapped to ${label}`,
  });
  await services.tasks.resolve({ shop, dedupeKey: fulfilmentTaskKeys.unmappedCarrier(connectionId, key), by: "carrier mapping" });
  await services.jobs.enqueueByName(FULFILMENT_JOB.releaseHeld, { shop, connectionId, carrierKey: key });
  const released = await countHeld({ services, connectionId, key });
  log.info("carrier mapped", { shop, connectionId, key, code: miraklCarrierCode, useUnregistered, held: released });
  return { kind: "saved", key, code: miraklCarrierCode, useUnregistered, released, label };
}

async function countHeld({ services, connectionId, key }: { services: Services; connectionId: string; key: string }): Promise<number> {
  const held = await services.prisma.fulfillmentLink.findMany({ where: { connectionId, status: "HELD", trackingCompany: { not: null } }, select: { trackingCompany: true } });
  return held.filter((h) => carrierKey(h.trackingCompany ?? "") === key).length;
}

/**
 * The fulfilment.release-held job: queue the push of every order with a fulfilment held for that carrier (or, with
 * no key, every held or waiting one of the connection), including shipped ones whose tracking change was held.
 */
export async function releaseHeldFulfilments({ services, shop, connectionId, key }: { services: Services; shop: string; connectionId: string; key?: string | null }): Promise<{ queued: number }> {
  const links = await services.prisma.fulfillmentLink.findMany({
    where: { connectionId, origin: "SHOPIFY", status: { in: ["HELD", "PENDING", "FAILED", "ACKNOWLEDGED"] } },
    select: { orderLinkId: true, status: true, trackingCompany: true, trackingNumber: true, sentTrackingNumber: true },
  });
  const orders = new Set<string>();
  for (const l of links) {
    if (key && carrierKey(l.trackingCompany ?? "") !== key) continue;
    if (l.status === "ACKNOWLEDGED" && (l.trackingNumber ?? "") === (l.sentTrackingNumber ?? "")) continue;
    orders.add(l.orderLinkId);
  }
  let queued = 0;
  for (const orderLinkId of orders) if (await enqueuePush({ services, shop, connectionId, orderLinkId })) queued++;
  return { queued };
}
