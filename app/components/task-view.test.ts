import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format";
import { closedLine, dismissConsequence, retryQueuedLine, severityLabel } from "./task-view";

describe("task labels", () => {
  it("shows severities as words, never the stored enum", () => {
    expect(severityLabel("critical")).toBe("Urgent");
    expect(severityLabel("warning")).toBe("To review");
    expect(severityLabel("info")).toBe("For information");
  });

  it("says who closed a task in plain words", () => {
    const at = "2026-11-23T07:10:00Z";
    expect(closedLine({ status: "DISMISSED", resolvedAt: at, resolvedBy: "user" })).toBe(`Dismissed ${formatDateTime(at)} by you`);
    expect(closedLine({ status: "RESOLVED", resolvedAt: at, resolvedBy: "auto" })).toBe(`Resolved ${formatDateTime(at)} automatically`);
    expect(closedLine({ status: "RESOLVED", resolvedAt: at, resolvedBy: "retry" })).toBe(`Resolved ${formatDateTime(at)} when it was run again`);
    expect(closedLine({ status: "OPEN", resolvedAt: null, resolvedBy: null })).toBeNull();
  });

  it("writes dates in the shop's zone when given one", () => {
    const at = "2026-11-23T07:10:00Z";
    expect(closedLine({ status: "DISMISSED", resolvedAt: at, resolvedBy: "user" }, "Europe/Paris")).toBe("Dismissed 23 Nov 2026, 08:10 GMT+1 by you");
    expect(dismissConsequence({ kind: "held_order", severity: "warning", marketplace: "Joules", dueAt: at }, "Europe/London")).toContain("by 23 Nov 2026, 07:10 GMT,");
    expect(retryQueuedLine({ kind: "job_failed", status: "OPEN", data: { retryQueuedAt: at } }, "Europe/Paris")).toBe("Queued to run again 23 Nov 2026, 08:10 GMT+1: this task closes by itself when it succeeds.");
  });
});

describe("dismiss confirmation", () => {
  it("warns that a held order is still refused automatically at its deadline", () => {
    const text = dismissConsequence({ kind: "held_order", severity: "warning", marketplace: "Joules", dueAt: "2026-11-23T07:31:00Z" });
    expect(text).toContain("Joules refuses it automatically");
    expect(text).toContain(`by ${formatDateTime("2026-11-23T07:31:00Z")}`);
    expect(text).toContain("comes back as urgent");
  });

  it("says an urgent task opens again and a non-urgent one stays dismissed", () => {
    expect(dismissConsequence({ kind: "carrier_unmapped", severity: "critical", marketplace: "Joules", dueAt: null })).toContain("opens again if the problem happens again");
    expect(dismissConsequence({ kind: "totals_differ", severity: "warning", marketplace: null, dueAt: null })).toContain("stays dismissed even if the problem happens again");
  });
});

describe("retry status", () => {
  it("says a retried job is queued only while the task is open", () => {
    const data = { jobName: "orders.poll", payload: {}, retryQueuedAt: "2026-11-23T07:10:00Z" };
    expect(retryQueuedLine({ kind: "job_failed", status: "OPEN", data })).toBe(`Queued to run again ${formatDateTime(data.retryQueuedAt)}: this task closes by itself when it succeeds.`);
    expect(retryQueuedLine({ kind: "job_failed", status: "RESOLVED", data })).toBeNull();
    expect(retryQueuedLine({ kind: "job_failed", status: "OPEN", data: { jobName: "orders.poll", payload: {} } })).toBeNull();
  });
});
