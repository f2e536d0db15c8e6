/**
 * How a Task reads on screen: labels for the stored enums (severity, status, who closed it) and what the
 * Dismiss confirmation must say. Pure, so the wording is unit-tested (task-view.test.ts).
 */
import { formatDateTime } from "./format";

export const SEVERITY_LABEL: Record<string, string> = { critical: "Urgent", warning: "To review", info: "For information" };
export const SEVERITY_TONE = { critical: "critical", warning: "warning", info: "info" } as const;

export function severityLabel(severity: string): string {
  return SEVERITY_LABEL[severity] ?? "To review";
}

export function severityTone(severity: string): (typeof SEVERITY_TONE)[keyof typeof SEVERITY_TONE] {
  return SEVERITY_TONE[severity as keyof typeof SEVERITY_TONE] ?? "info";
}

/** "Dismissed 23 Nov, 07:10 UTC by you", "Resolved 23 Nov, 07:10 UTC automatically"; null while open. */
/** `timeZone`: the shop's (see shopTimeZone), so the line reads like the rest of the screen. */
export function closedLine(task: { status: string; resolvedAt: string | Date | null; resolvedBy: string | null }, timeZone = "UTC"): string | null {
  if (task.status === "OPEN" || !task.resolvedAt) return null;
  const verb = task.status === "DISMISSED" ? "Dismissed" : "Resolved";
  const by =
    task.resolvedBy === "user"
      ? "by you"
      : task.resolvedBy === "retry"
        ? "when it was run again"
        : task.resolvedBy === "auto" || !task.resolvedBy
          ? "automatically"
          : `by ${task.resolvedBy}`;
  return `${verb} ${formatDateTime(task.resolvedAt, timeZone)} ${by}`;
}

export interface DismissableTask {
  kind: string;
  severity: string;
  marketplace: string | null;
  dueAt: string | Date | null;
}

/** What dismissing this task does (and does not do), for the confirmation dialog. */
export function dismissConsequence(task: DismissableTask, timeZone = "UTC"): string {
  const market = task.marketplace ?? "the marketplace";
  const hides = "Dismissing only hides this task: it does not fix anything.";
  if (task.kind === "held_order") {
    const when = task.dueAt ? ` by ${formatDateTime(task.dueAt, timeZone)}` : " before its acceptance deadline";
    return (
      `${hides} The order stays held: if nobody accepts or refuses it${when}, ${market} refuses it automatically, the sale is lost and the refusal counts against your seller rating.` +
      (task.severity === "critical" ? " It is not brought back as the deadline gets closer." : " It comes back as urgent when the deadline gets close.")
    );
  }
  if (task.severity === "critical") return `${hides} Because it is urgent, it opens again if the problem happens again.`;
  return `${hides} It stays dismissed even if the problem happens again; you can reopen it from the Dismissed tab.`;
}

/** For a job_failed Task the merchant already retried: says the run is queued and what happens next. */
export function retryQueuedLine(task: { kind: string; status: string; data: unknown }, timeZone = "UTC"): string | null {
  if (task.kind !== "job_failed" || task.status !== "OPEN" || !task.data || typeof task.data !== "object") return null;
  const at = (task.data as Record<string, unknown>).retryQueuedAt;
  if (typeof at !== "string") return null;
  return `Queued to run again ${formatDateTime(at, timeZone)}: this task closes by itself when it succeeds.`;
}
