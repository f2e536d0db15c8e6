import { describe, expect, it } from "vitest";
import { formatDuration, reconciliationView, runStatusLabel, stockFileLabel, type RunSummary } from "./reconcile-view";

const fmt = (d: Date | string) => `at ${new Date(d).toISOString().slice(11, 16)}`;
const active = { reconcileIntervalMinutes: 30, paused: false, hasLocations: true };
const run: RunSummary = {
  status: "COMPLETE",
  startedAt: "2026-11-23T07:00:00Z",
  finishedAt: "2026-11-23T07:00:00.400Z",
  skuCount: 8,
  differences: 1,
  pushedLines: 1,
  miraklCalls: 2,
  shopifyCalls: 1,
  error: null,
};

describe("reconciliationView", () => {
  it("before any run: an empty state saying when the first runs, not a row of zeros", () => {
    expect(reconciliationView(null, active, fmt)).toEqual({
      kind: "empty",
      heading: "No reconciliation yet",
      body: "The first runs within a minute, then every 30 minutes.",
      hint: "Reconcile now runs one at once.",
    });
    expect(reconciliationView(null, { ...active, paused: true }, fmt)).toMatchObject({ kind: "empty", body: expect.stringContaining("paused"), hint: null });
    expect(reconciliationView(null, { ...active, hasLocations: false }, fmt)).toMatchObject({ kind: "empty", body: expect.stringContaining("choose the Shopify locations") });
  });

  it("a run with nothing mapped reads as 'nothing to compare', not 'Offers compared 0, 0.0 s'", () => {
    const v = reconciliationView({ ...run, skuCount: 0, differences: 0, pushedLines: 0, miraklCalls: 0, shopifyCalls: 0, finishedAt: run.startedAt }, active, fmt);
    expect(v).toMatchObject({ kind: "empty", heading: "Nothing to compare yet" });
    expect(v.kind === "empty" && v.body).toBe("The last check (at 07:00) found no offer mapped to a Shopify variant. The next one runs within 30 minutes.");
  });

  it("a real run: its figures, with the calls explained", () => {
    const v = reconciliationView(run, active, fmt);
    if (v.kind !== "facts") throw new Error("expected facts");
    expect(Object.fromEntries(v.facts.map((f) => [f.label, f.value]))).toEqual({
      Started: "at 07:00",
      Took: "0.4 s",
      "Offers compared": "8",
      "Differences found": "1",
      "Quantities sent": "1",
      "Requests made": "2 requests to Mirakl, 1 to Shopify",
    });
    expect(v.facts.find((f) => f.label === "Requests made")?.help).toMatch(/limit how often/);
    expect(v.facts.some((f) => f.label.includes("Calls"))).toBe(false);
  });

  it("a running or failed run keeps its figures", () => {
    const running = reconciliationView({ ...run, status: "RUNNING", finishedAt: null, skuCount: 0 }, active, fmt);
    expect(running.kind === "facts" && running.facts.slice(0, 2).map((f) => f.value)).toEqual(["at 07:00 (running)", "Still running"]);
    expect(reconciliationView({ ...run, status: "FAILED", skuCount: 0, error: "Mirakl is down" }, active, fmt).kind).toBe("facts");
  });
});

describe("labels", () => {
  it("formats durations", () => {
    expect(formatDuration(0)).toBe("under 0.1 s");
    expect(formatDuration(400)).toBe("0.4 s");
    expect(formatDuration(64_000)).toBe("1 min 4 s");
  });
  it("names a stock file by Mirakl's number, in words", () => {
    expect(stockFileLabel({ miraklImportId: "3001", status: "COMPLETE" })).toBe("Stock file #3001 sent to Mirakl");
    expect(stockFileLabel({ miraklImportId: null, status: "SUBMITTING" })).toBe("Being sent to Mirakl");
    expect(stockFileLabel({ miraklImportId: null, status: "FAILED" })).toBe("Not received by Mirakl");
  });
  it("never shows a raw run status", () => {
    expect(["COMPLETE", "RUNNING", "FAILED", "X"].map(runStatusLabel)).toEqual(["done", "running", "failed", "unknown state"]);
  });
});
