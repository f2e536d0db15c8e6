import { describe, expect, it } from "vitest";
import { jobDefinitions } from "./registry.server";
import { JOB_LABELS, describeJob } from "./job-labels";

describe("job labels", () => {
  it("has a plain-language label for every registered job", () => {
    const missing = jobDefinitions.map((d) => d.name).filter((name) => !(name in JOB_LABELS));
    expect(missing).toEqual([]);
  });

  it("names the marketplace, or says 'the marketplace' when it is unknown", () => {
    expect(describeJob("orders.poll", "Joules")).toBe("check Joules for new orders");
    expect(describeJob("orders.poll", null)).toBe("check the marketplace for new orders");
    expect(describeJob("some.new-job")).toBe("run a background step (some new job)");
  });
});
