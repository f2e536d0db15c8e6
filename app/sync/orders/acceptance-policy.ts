/**
 * The acceptance decision (pure): per line, can we ship it (a Shopify variant and enough stock); per order,
 * what the connection's policy does with that. OR21 must list every line (seller-api-notes §2.1), and mixing
 * accepted and refused lines is partial acceptance, which some marketplaces refuse (gotcha 5).
 */
import { z } from "zod";

export type AcceptancePolicy = "ACCEPT_AUTOMATICALLY" | "REFUSE_FAILING" | "HOLD_FOR_REVIEW";

export type LineCheck =
  | { kind: "ok" }
  | { kind: "unmapped" }
  | { kind: "ambiguous"; variants: number }
  | { kind: "ignored" }
  | { kind: "short"; available: number; ordered: number }
  /** Shopify could not be asked in time: the line can be neither accepted nor refused on a guess. */
  | { kind: "unverified" };

export interface CheckedLine {
  orderLineId: string;
  offerSku: string;
  quantity: number;
  check: LineCheck;
  variantId: string | null;
  inventoryItemId: string | null;
}

/** One entry of OrderLink.acceptanceDecision (a JSON array, one per Mirakl order line). */
export const decisionLineSchema = z.object({
  orderLineId: z.string(),
  offerSku: z.string(),
  quantity: z.number(),
  /** true/false once decided (sent or to be sent with OR21); null while the order is held. */
  accepted: z.boolean().nullable(),
  /** Why the line failed its check, in plain words (null when it passed). */
  reason: z.string().nullable(),
  check: z.string().optional(),
  variantId: z.string().nullable().optional(),
  /** Kept so stock promised to accepted-but-not-imported orders can be subtracted (availability). */
  inventoryItemId: z.string().nullable().optional(),
  /** Position of the line in the Shopify order, once imported (line cancellations address it). */
  importPosition: z.number().nullable().optional(),
  importedQuantity: z.number().nullable().optional(),
});
export type DecisionLine = z.infer<typeof decisionLineSchema>;

export function parseDecision(value: unknown): DecisionLine[] | null {
  const parsed = z.array(decisionLineSchema).safeParse(value);
  return parsed.success ? parsed.data : null;
}

export type HoldCode = "REVIEW" | "LINES_FAILING" | "PARTIAL_DISABLED" | "UNVERIFIED" | "REJECTED_BY_MIRAKL";

export type AcceptanceOutcome =
  | { kind: "accept" }
  | { kind: "partial"; accepted: string[]; refused: string[] }
  | { kind: "refuse" }
  | { kind: "hold"; code: HoldCode };

export function lineProblem(line: Pick<CheckedLine, "offerSku" | "check">): string | null {
  const c = line.check;
  switch (c.kind) {
    case "ok":
      return null;
    case "unmapped":
      return `SKU ${line.offerSku} is not linked to any Shopify product`;
    case "ambiguous":
      return `SKU ${line.offerSku} matches ${c.variants} Shopify variants, so it is not clear which one to ship`;
    case "ignored":
      return `SKU ${line.offerSku} is marked as ignored in the SKU mapping`;
    case "short":
      return `${c.ordered} × ${line.offerSku} ordered but only ${Math.max(0, c.available)} available at the marketplace's locations`;
    case "unverified":
      return `the stock of ${line.offerSku} could not be checked because Shopify did not answer in time`;
    default:
      return `SKU ${line.offerSku} could not be checked`;
  }
}

export function decideAcceptance(input: { policy: string; partialAcceptance: boolean; lines: readonly Pick<CheckedLine, "orderLineId" | "check">[] }): AcceptanceOutcome {
  const { lines } = input;
  const policy = (["ACCEPT_AUTOMATICALLY", "REFUSE_FAILING", "HOLD_FOR_REVIEW"].includes(input.policy) ? input.policy : "ACCEPT_AUTOMATICALLY") as AcceptancePolicy;
  if (policy === "HOLD_FOR_REVIEW") return { kind: "hold", code: "REVIEW" };
  // Never refuse (or accept) on a guess: an unverifiable line holds the order until Shopify answers.
  if (lines.some((l) => l.check.kind === "unverified")) return { kind: "hold", code: "UNVERIFIED" };
  const passing = lines.filter((l) => l.check.kind === "ok").map((l) => l.orderLineId);
  const failing = lines.filter((l) => l.check.kind !== "ok").map((l) => l.orderLineId);
  if (failing.length === 0) return { kind: "accept" };
  if (policy === "ACCEPT_AUTOMATICALLY") return { kind: "hold", code: "LINES_FAILING" };
  if (passing.length === 0) return { kind: "refuse" };
  if (!input.partialAcceptance) return { kind: "hold", code: "PARTIAL_DISABLED" };
  return { kind: "partial", accepted: passing, refused: failing };
}

/** The per-line decision stored on the link and sent with OR21 (null = held, nothing sent). */
export function decisionLines(lines: readonly CheckedLine[], outcome: AcceptanceOutcome): DecisionLine[] {
  return lines.map((l) => {
    let accepted: boolean | null;
    if (outcome.kind === "accept") accepted = true;
    else if (outcome.kind === "refuse") accepted = false;
    else if (outcome.kind === "partial") accepted = outcome.accepted.includes(l.orderLineId);
    else accepted = null;
    return {
      orderLineId: l.orderLineId,
      offerSku: l.offerSku,
      quantity: l.quantity,
      accepted,
      reason: lineProblem(l),
      check: l.check.kind,
      variantId: l.variantId,
      inventoryItemId: l.inventoryItemId,
    };
  });
}

export function holdSummary(code: HoldCode, lines: readonly Pick<DecisionLine, "reason">[]): string {
  const problems = lines.map((l) => l.reason).filter((r): r is string => Boolean(r));
  switch (code) {
    case "REVIEW":
      return problems.length > 0
        ? `this marketplace is set to hold every order for review; note: ${problems.join("; ")}`
        : "this marketplace is set to hold every order for review (every line can be shipped from stock)";
    case "UNVERIFIED":
      return problems.join("; ") || "Shopify could not be asked about stock in time";
    case "PARTIAL_DISABLED":
      return `${problems.join("; ")}; the marketplace does not allow accepting only part of an order`;
    case "REJECTED_BY_MIRAKL":
      return problems.join("; ") || "Mirakl did not take the decision";
    default:
      return problems.join("; ");
  }
}

/** `CODE: summary`, the form OrderLink.holdReason takes (the code decides whether the hold clears by itself). */
export function holdReasonText(code: HoldCode, summary: string): string {
  return `${code}: ${summary}`;
}

export function holdCodeOf(holdReason: string | null | undefined): HoldCode | "UNMAPPED_SKU" | null {
  const code = (holdReason ?? "").split(":")[0] ?? "";
  return ["REVIEW", "LINES_FAILING", "PARTIAL_DISABLED", "UNVERIFIED", "REJECTED_BY_MIRAKL", "UNMAPPED_SKU"].includes(code) ? (code as HoldCode) : null;
}
