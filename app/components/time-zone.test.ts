import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DateTime, TimeZoneProvider, useFormatDateTime } from "./time-zone";

const NOVEMBER = "2026-11-23T07:54:00Z";

function render(node: React.ReactNode, timeZone?: string): string {
  return renderToString(
    timeZone === undefined
      ? h("div", null, node)
      : h(TimeZoneProvider, { timeZone, children: node })
  );
}

function HookProbe({ value }: { value: string }) {
  return h("span", null, useFormatDateTime()(value));
}

describe("TimeZoneProvider", () => {
  it("prints dates in the provided shop zone, naming the offset", () => {
    expect(render(h(DateTime, { value: NOVEMBER }), "Europe/London")).toBe(
      "23 Nov 2026, 07:54 GMT"
    );
    expect(render(h(DateTime, { value: NOVEMBER }), "Europe/Paris")).toBe(
      "23 Nov 2026, 08:54 GMT+1"
    );
    expect(render(h(HookProbe, { value: NOVEMBER }), "Europe/Paris")).toBe(
      "<span>23 Nov 2026, 08:54 GMT+1</span>"
    );
    expect(render(h(HookProbe, { value: NOVEMBER }), "America/New_York")).toBe(
      "<span>23 Nov 2026, 02:54 GMT-5</span>"
    );
  });

  it("reads UTC outside a provider or with an unknown zone, and a dash for no date", () => {
    expect(render(h(DateTime, { value: NOVEMBER }))).toBe(
      "<div>23 Nov 2026, 07:54 UTC</div>"
    );
    expect(render(h(DateTime, { value: NOVEMBER }), "Mars/Olympus")).toBe(
      "23 Nov 2026, 07:54 UTC"
    );
    expect(render(h(DateTime, { value: null }), "Europe/London")).toBe("—");
  });
});
