import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plural } from "./format";
import { TIMELINE_KIND_LABELS, timelineKindLabel } from "./timeline";

/** Every `kind: "…"` written next to a message or level in app/sync: the kinds the flows record as timeline entries. */
function recordedKinds(): string[] {
  const root = join(__dirname, "..", "sync");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const kinds = new Set<string>();
  for (const f of files) {
    const source = readFileSync(join(root, f), "utf8");
    for (const m of source.matchAll(/kind: (?:[^,\n?]*\? )?"([a-z_]+)"(?: : "([a-z_]+)")?/g)) {
      // The rest of the same object literal (it closes on " }"; "${…}" in a message does not): a timeline entry
      // carries a message or a level, an outcome union member such as { kind: "unchanged" } does not.
      const rest = source.slice(m.index + m[0].length, m.index + m[0].length + 600).split(/\s\}/)[0]!;
      if (!/\b(message|level)[:,]/.test(rest)) continue;
      kinds.add(m[1]!);
      if (m[2]) kinds.add(m[2]);
    }
  }
  return [...kinds].sort();
}

describe("timelineKindLabel", () => {
  it("names the order events in plain words", () => {
    expect(timelineKindLabel("seen")).toBe("Received");
    expect(timelineKindLabel("state")).toBe("Status changed");
    expect(timelineKindLabel("portal_shipment_mirrored")).toBe("Shipped in Mirakl");
    expect(timelineKindLabel("accepted")).toBe("Accepted");
  });

  it("has a label for every kind the sync flows record", () => {
    const kinds = recordedKinds();
    // The scan itself finds the kinds (a broken scan would pass vacuously).
    expect(kinds).toEqual(expect.arrayContaining(["seen", "state", "accepted", "refused", "portal_shipment_mirrored", "tracking_sent", "tracking_changed"]));
    expect(kinds.filter((k) => !(k in TIMELINE_KIND_LABELS))).toEqual([]);
  });

  it("reads an unknown kind as a capitalised phrase", () => {
    expect(timelineKindLabel("mapping_matched")).toBe("Mapping matched");
    expect(timelineKindLabel("SOME_NEW_KIND")).toBe("Some new kind");
    expect(timelineKindLabel("")).toBe("Event");
  });
});

describe("plural", () => {
  it("writes the noun in the singular for one and in the plural otherwise", () => {
    expect(plural(1, "line")).toBe("1 line");
    expect(plural(3, "line")).toBe("3 lines");
    expect(plural(0, "transaction")).toBe("0 transactions");
    expect(plural(2, "child", "children")).toBe("2 children");
  });
});
