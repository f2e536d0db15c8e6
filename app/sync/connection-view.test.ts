import { describe, expect, it } from "vitest";
import { acceptanceLabel, escalationProblem, formatMinutes, pauseEffects, reportedPartialRules, suggestedEscalation } from "./connection-view";

describe("escalationProblem", () => {
  it("refuses an escalation as long as or longer than the acceptance window", () => {
    expect(escalationProblem(30, 120)).toMatch(/^Must be less than the acceptance window \(30 minutes\)/);
    expect(escalationProblem(30, 30)).not.toBeNull();
    expect(escalationProblem(2880, 120)).toBeNull();
    expect(escalationProblem(30, 29)).toBeNull();
  });
  it("suggests a usable value inside the window", () => {
    expect(escalationProblem(30, 120)).toContain("10 minutes is a good start");
    expect(suggestedEscalation(12)).toBe(5);
    expect(suggestedEscalation(2880)).toBe(960);
  });
});

describe("formatMinutes", () => {
  it("reads as a person would say it", () => {
    expect(formatMinutes(1)).toBe("1 minute");
    expect(formatMinutes(30)).toBe("30 minutes");
    expect(formatMinutes(120)).toBe("2 hours");
    expect(formatMinutes(90)).toBe("1 hour 30 minutes");
    expect(formatMinutes(2880)).toBe("2 days");
  });
});

describe("acceptanceLabel", () => {
  it("never shows a raw policy value", () => {
    expect(acceptanceLabel({ marketplaceAutoAccepts: false, acceptancePolicy: "ACCEPT_AUTOMATICALLY" })).toBe("Accept automatically");
    expect(acceptanceLabel({ marketplaceAutoAccepts: false, acceptancePolicy: "REFUSE_FAILING" })).toBe("Accept what can be filled");
    expect(acceptanceLabel({ marketplaceAutoAccepts: false, acceptancePolicy: "HOLD_FOR_REVIEW" })).toBe("Hold for review");
    expect(acceptanceLabel({ marketplaceAutoAccepts: true, acceptancePolicy: "HOLD_FOR_REVIEW" })).toBe("The marketplace accepts");
    expect(acceptanceLabel({ marketplaceAutoAccepts: false, acceptancePolicy: "SOMETHING_NEW" })).toBe("Not chosen yet");
  });
});

describe("pauseEffects", () => {
  const joules = { name: "Joules", acceptanceWindowMinutes: 30, marketplaceAutoAccepts: false };
  it("names the marketplace and says that orders, imports, stock and tracking stop", () => {
    const e = pauseEffects(joules);
    expect(e.title).toBe("Pause all sync for Joules?");
    expect(e.confirm).toBe("Pause all sync for Joules");
    const stops = e.stops.join("\n");
    expect(stops).toMatch(/Accepting new orders: Joules may refuse an order automatically .* \(30 minutes in your settings\)/);
    expect(stops).toContain("Importing Joules orders into Shopify");
    expect(stops).toContain("Sending stock to Joules");
    expect(stops).toContain("Sending tracking");
    expect(e.continues.join("\n")).toContain("remembered and sent when you resume");
  });
  it("does not warn about refusals where the marketplace accepts orders itself", () => {
    const stops = pauseEffects({ ...joules, marketplaceAutoAccepts: true }).stops.join("\n");
    expect(stops).not.toContain("refuse");
    expect(stops).toContain("not imported into Shopify");
  });
});

describe("reportedPartialRules", () => {
  it("keeps only what PC01 reported", () => {
    expect(reportedPartialRules({ features: {}, summary: { partialAcceptance: true, partialCancelation: null } })).toEqual({ partialAcceptance: true, partialCancel: null });
    expect(reportedPartialRules({ summary: { partialAcceptance: false, partialCancelation: true } })).toEqual({ partialAcceptance: false, partialCancel: true });
  });
  it("treats a missing or unreadable stored configuration as silent", () => {
    expect(reportedPartialRules(null)).toEqual({ partialAcceptance: null, partialCancel: null });
    expect(reportedPartialRules({ summary: {} })).toEqual({ partialAcceptance: null, partialCancel: null });
    expect(reportedPartialRules({ summary: { partialAcceptance: "yes" } })).toEqual({ partialAcceptance: null, partialCancel: null });
  });
});
