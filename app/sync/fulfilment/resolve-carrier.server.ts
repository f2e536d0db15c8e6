import type { FulfillmentLink, MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../services.server";
import { recordEvent } from "../timeline.server";
import { carrierKey, decideCarrier, type CarrierSuggestion, type HoldReason } from "./carrier-match";
import type { OutgoingTracking } from "./link-tracking";
import type { MarketplaceCarrier } from "./marketplace-reference";

export type LinkResolution =
  | { kind: "ready"; tracking: OutgoingTracking }
  | { kind: "hold"; reason: "carrier"; key: string; carrierName: string; carrierReason: HoldReason; suggestions: CarrierSuggestion[]; mappedCode: string | null }
  | { kind: "hold"; reason: "missing_tracking" }
  | { kind: "hold"; reason: "missing_carrier"; trackingNumber: string };

export function holdReasonText(r: Exclude<LinkResolution, { kind: "ready" }>, marketplace: string): string {
  switch (r.reason) {
    case "carrier":
      return r.carrierReason === "unlisted_forbidden"
        ? `${marketplace} does not accept "${r.carrierName}" as an unlisted carrier: map it to one of its carriers`
        : r.carrierReason === "unknown_code"
          ? `"${r.carrierName}" is mapped to ${r.mappedCode ?? "a code"} that ${marketplace} no longer lists`
          : `The carrier "${r.carrierName}" is not mapped to a ${marketplace} carrier`;
    case "missing_tracking":
      return `The shipping method needs a tracking number and the fulfilment has none`;
    case "missing_carrier":
      return `The fulfilment has a tracking number (${r.trackingNumber}) but no carrier`;
  }
}

/**
 * The carrier and tracking one fulfilment goes out with, or why it must wait for a person.
 *
 * Side effects on CarrierMapping: every tracking company seen gets a row (so the mapping screen lists it), and an
 * unambiguous exact match is stored as source AUTO, never overwriting a merchant's choice (updateMany guarded on
 * "still unmapped").
 */
export async function resolveLinkTracking(input: {
  services: Services;
  connection: MarketplaceConnection;
  link: Pick<FulfillmentLink, "trackingCompany" | "trackingNumber" | "trackingUrl">;
  carriers: readonly MarketplaceCarrier[];
  mandatoryTracking: boolean;
}): Promise<LinkResolution> {
  const { services, connection, link } = input;
  const company = link.trackingCompany?.trim() || null;
  const number = link.trackingNumber?.trim() || null;
  if (!company) {
    if (number) return { kind: "hold", reason: "missing_carrier", trackingNumber: number };
    return input.mandatoryTracking ? { kind: "hold", reason: "missing_tracking" } : { kind: "ready", tracking: { kind: "none" } };
  }
  const key = carrierKey(company);
  const prisma = services.prisma;
  const mapping = await prisma.carrierMapping.findUnique({ where: { connectionId_shopifyCarrierKey: { connectionId: connection.id, shopifyCarrierKey: key } } });
  const decision = decideCarrier({
    trackingCompany: company,
    trackingUrl: link.trackingUrl ?? null,
    mapping: mapping ? { miraklCarrierCode: mapping.miraklCarrierCode, useUnregistered: mapping.useUnregistered } : null,
    carriers: input.carriers,
    allowUnregistered: connection.allowUnregisteredCarrier,
  });
  if (decision.kind === "hold") {
    if (!mapping) {
      await prisma.carrierMapping.createMany({
        data: [{ connectionId: connection.id, shopifyCarrierKey: key, shopifyCarrierName: company, source: "SEEN" }],
        skipDuplicates: true,
      });
    }
    // Named as first seen, so the Task and the screen do not flip between spellings of the same carrier.
    return { kind: "hold", reason: "carrier", key, carrierName: mapping?.shopifyCarrierName ?? company, carrierReason: decision.reason, suggestions: decision.suggestions, mappedCode: mapping?.miraklCarrierCode ?? null };
  }
  if (decision.kind === "registered" && decision.source === "auto") {
    const applied = mapping
      ? (
          await prisma.carrierMapping.updateMany({
            where: { id: mapping.id, miraklCarrierCode: null, useUnregistered: false },
            data: { miraklCarrierCode: decision.carrier.code, source: "AUTO" },
          })
        ).count
      : (
          await prisma.carrierMapping.createMany({
            data: [{ connectionId: connection.id, shopifyCarrierKey: key, shopifyCarrierName: company, miraklCarrierCode: decision.carrier.code, source: "AUTO" }],
            skipDuplicates: true,
          })
        ).count;
    if (applied > 0) {
      await recordEvent(prisma, {
        shop: connection.shop,
        connectionId: connection.id,
        entityType: "connection",
        entityId: connection.id,
        kind: "carrier_auto_mapped",
        message: `Carrier "${company}" matched ${connection.name}'s ${decision.carrier.label} (${decision.carrier.code}) exactly: mapped automatically`,
      });
    }
  }
  if (input.mandatoryTracking && !number) return { kind: "hold", reason: "missing_tracking" };
  const tracking: OutgoingTracking =
    decision.kind === "registered"
      ? { kind: "registered", carrier: decision.carrier, number }
      : { kind: "unregistered", name: decision.name, url: decision.url, number };
  return { kind: "ready", tracking };
}
