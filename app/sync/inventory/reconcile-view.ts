/**
 * What the inventory screens say about reconciliation runs and stock files, in the merchant's words. Pure: the
 * loader's rows in, labels out (dates are formatted by the caller's formatter, so the screen's time zone applies).
 */
import { formatMinutes } from "../connection-view";

export interface RunSummary {
  status: string;
  startedAt: Date | string;
  finishedAt: Date | string | null;
  skuCount: number;
  differences: number;
  pushedLines: number;
  miraklCalls: number;
  shopifyCalls: number;
  error: string | null;
}

export interface ReconcileFact {
  label: string;
  value: string;
  help?: string;
}

export type ReconcileView =
  | { kind: "empty"; heading: string; body: string; hint: string | null }
  | { kind: "facts"; facts: ReconcileFact[] };

type Format = (d: Date | string) => string;

/** "under a second", "0.4 s", "1 min 4 s". */
export function formatDuration(ms: number): string {
  if (ms < 100) return "under 0.1 s";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * The "Last reconciliation" card. Before any run, and after a run that had nothing to compare (no offer mapped
 * yet), a row of zeros reads as "broken": say what happened and when the next one comes instead.
 */
export function reconciliationView(
  run: RunSummary | null,
  c: { reconcileIntervalMinutes: number; paused: boolean; hasLocations: boolean },
  format: Format,
): ReconcileView {
  const every = formatMinutes(c.reconcileIntervalMinutes);
  const blocked = c.paused ? "Sync is paused: no reconciliation runs until you resume." : !c.hasLocations ? "It starts once you choose the Shopify locations this marketplace sells from." : null;
  if (!run) {
    return {
      kind: "empty",
      heading: "No reconciliation yet",
      // The scheduler starts the first one at its next minute tick (lastReconcileAt is empty), then every interval.
      body: blocked ?? `The first runs within a minute, then every ${every}.`,
      hint: blocked ? null : "Reconcile now runs one at once.",
    };
  }
  if (run.status === "COMPLETE" && run.skuCount === 0 && !run.error) {
    return {
      kind: "empty",
      heading: "Nothing to compare yet",
      body: `The last check (${format(run.startedAt)}) found no offer mapped to a Shopify variant. ${blocked ?? `The next one runs within ${every}.`}`,
      hint: "Map offers on the SKU mapping screen, then use Reconcile now.",
    };
  }
  const running = run.status === "RUNNING";
  const took = run.finishedAt ? formatDuration(Math.max(0, new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime())) : running ? "Still running" : "—";
  return {
    kind: "facts",
    facts: [
      { label: "Started", value: `${format(run.startedAt)}${running ? " (running)" : ""}` },
      { label: "Took", value: took },
      { label: "Offers compared", value: String(run.skuCount) },
      { label: "Differences found", value: String(run.differences) },
      { label: "Quantities sent", value: String(run.pushedLines) },
      {
        label: "Requests made",
        value: `${plural(run.miraklCalls, "request")} to Mirakl, ${run.shopifyCalls} to Shopify`,
        help: "How many calls this check made to each platform. Both limit how often an app may call them, so a check reads offers and stock in a few large requests rather than one per offer.",
      },
    ],
  };
}

/** A stock file in "Recent stock files": the number Mirakl gave it, or where it stands if it has none yet. */
export function stockFileLabel(i: { miraklImportId: string | null; status: string }): string {
  if (i.miraklImportId) return `Stock file #${i.miraklImportId} sent to Mirakl`;
  if (i.status === "FAILED") return "Not received by Mirakl";
  return "Being sent to Mirakl";
}

/** The Inventory list's "Last reconciliation" column: never the raw run status. */
export function runStatusLabel(status: string): string {
  return { RUNNING: "running", COMPLETE: "done", FAILED: "failed" }[status] ?? "unknown state";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
