/** Timestamps as Shopify renders them: GraphQL DateTime in UTC, REST/webhook times in the shop's offset. */

export function gqlTime(ms: number): string;
export function gqlTime(ms: number | null): string | null;
export function gqlTime(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function offsetOf(ms: number, timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(new Date(ms))
      .find((p) => p.type === "timeZoneName")?.value;
    const m = /GMT([+-]\d{2}:\d{2})/.exec(part ?? "");
    return m?.[1] ?? "+00:00";
  } catch {
    return "+00:00";
  }
}

/** "2026-05-01T12:00:00+02:00" for a shop in Europe/Paris, like Shopify's REST payloads (notes.md §3.2). */
export function restTime(ms: number, timeZone: string): string;
export function restTime(ms: number | null, timeZone: string): string | null;
export function restTime(ms: number | null, timeZone: string): string | null {
  if (ms === null) return null;
  const offset = offsetOf(ms, timeZone);
  const sign = offset.startsWith("-") ? -1 : 1;
  const [h, m] = offset.slice(1).split(":").map(Number);
  const local = new Date(ms + sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
  return local.toISOString().replace(/\.\d{3}Z$/, offset);
}
