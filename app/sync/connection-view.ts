/**
 * Plain-language labels and rules for the marketplace screens (list, settings, inventory), shared by the server
 * (validation) and the browser (the same message shows as the merchant types). No server code here.
 */
import { z } from "zod";

/** "30 minutes", "2 hours", "1 hour 30 minutes", "3 days": a setting in minutes, as a merchant reads it. */
export function formatMinutes(total: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (total >= 24 * 60 && total % (24 * 60) === 0) return unit(total / (24 * 60), "day");
  if (total < 60) return unit(total, "minute");
  const h = Math.floor(total / 60);
  const m = total % 60;
  return m === 0 ? unit(h, "hour") : `${unit(h, "hour")} ${unit(m, "minute")}`;
}

/**
 * Escalating when N minutes remain only means something if N is shorter than the window itself: with a 30-minute
 * window and "escalate at 120", every held order is urgent the moment it arrives and urgency stops telling anything.
 */
export function escalationProblem(windowMinutes: number, escalationMinutes: number): string | null {
  if (!Number.isFinite(windowMinutes) || !Number.isFinite(escalationMinutes)) return null;
  if (escalationMinutes < windowMinutes) return null;
  return `Must be less than the acceptance window (${formatMinutes(windowMinutes)}), or every held order is urgent as soon as it arrives. For a ${formatMinutes(windowMinutes)} window, ${suggestedEscalation(windowMinutes)} minutes is a good start.`;
}

/** A third of the window, at least 5 minutes (the settings' minimum): time enough for a person to act. */
export function suggestedEscalation(windowMinutes: number): number {
  return Math.max(5, Math.min(windowMinutes - 1, Math.round(windowMinutes / 3)));
}

const ACCEPTANCE_LABELS: Record<string, string> = {
  ACCEPT_AUTOMATICALLY: "Accept automatically",
  REFUSE_FAILING: "Accept what can be filled",
  HOLD_FOR_REVIEW: "Hold for review",
};

/** The Marketplaces list's "Acceptance" column: who accepts orders and how, never a raw setting value. */
export function acceptanceLabel(c: { marketplaceAutoAccepts: boolean; acceptancePolicy: string }): string {
  if (c.marketplaceAutoAccepts) return "The marketplace accepts";
  return ACCEPTANCE_LABELS[c.acceptancePolicy] ?? "Not chosen yet";
}

export interface PauseEffects {
  title: string;
  confirm: string;
  stops: string[];
  continues: string[];
}

/**
 * What "Pause all sync" does, for the confirmation. Pausing is per marketplace and covers every flow (the scheduler
 * skips a paused connection; order import, tracking and stock pushes check `paused` themselves), so it must not
 * read as a stock-only switch.
 */
export function pauseEffects(c: { name: string; acceptanceWindowMinutes: number; marketplaceAutoAccepts: boolean }): PauseEffects {
  const window = formatMinutes(c.acceptanceWindowMinutes);
  return {
    title: `Pause all sync for ${c.name}?`,
    confirm: `Pause all sync for ${c.name}`,
    stops: [
      c.marketplaceAutoAccepts
        ? `Checking ${c.name} for new orders: orders it accepts are not imported into Shopify until you resume.`
        : `Accepting new orders: ${c.name} may refuse an order automatically when nobody accepts it within its acceptance window (${window} in your settings), so a pause longer than that can lose orders.`,
      `Importing ${c.name} orders into Shopify.`,
      `Sending stock to ${c.name}: it keeps showing the last quantities it received, even if you sell out elsewhere.`,
      `Sending tracking and shipment confirmations to ${c.name}.`,
      `Reading ${c.name}'s offers and settings.`,
    ],
    continues: [
      "Orders already in Shopify stay there and can be fulfilled as usual.",
      "Stock changes and fulfilments made meanwhile are remembered and sent when you resume.",
      "Your other marketplaces and sales channels are not affected.",
    ],
  };
}

/** PC01 as stored on the connection (platformConfig); only the summary's two partial switches matter here. */
const storedSummarySchema = z.object({
  summary: z.object({
    partialAcceptance: z.boolean().nullable().optional(),
    partialCancelation: z.boolean().nullable().optional(),
  }),
});

/**
 * Which partial-order rules Mirakl itself reported (PC01), null where it is silent: PC01 does not document them, so
 * most marketplaces leave them to the merchant's declaration. Only reported ones belong in the read-only facts.
 */
export function reportedPartialRules(platformConfig: unknown): { partialAcceptance: boolean | null; partialCancel: boolean | null } {
  const parsed = storedSummarySchema.safeParse(platformConfig);
  if (!parsed.success) return { partialAcceptance: null, partialCancel: null };
  return { partialAcceptance: parsed.data.summary.partialAcceptance ?? null, partialCancel: parsed.data.summary.partialCancelation ?? null };
}
