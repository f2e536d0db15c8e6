import { describe, expect, it } from "vitest";
import { needsAttentionText, nextAutoRefusalText } from "./overview-view";

describe("overview card wording", () => {
  const now = new Date("2026-11-23T07:00:00Z");
  it("counts down to the nearest auto-refusal", () => {
    expect(nextAutoRefusalText("2026-11-23T08:12:30Z", now)).toBe("Next auto-refusal in 1 h 12 min");
    expect(nextAutoRefusalText(new Date("2026-11-23T07:25:00Z"), now)).toBe("Next auto-refusal in 25 min");
    expect(nextAutoRefusalText("2026-11-23T06:59:00Z", now)).toMatch(/past its deadline/);
    expect(nextAutoRefusalText(null, now)).toBeNull();
  });

  it("agrees the verb with the number", () => {
    expect(needsAttentionText(1)).toBe("1 order needs attention");
    expect(needsAttentionText(7)).toBe("7 orders need attention");
  });
});
