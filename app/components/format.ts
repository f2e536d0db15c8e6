const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const partsCache = new Map<string, Intl.DateTimeFormat>();

/** The zone dates are shown in: the shop's IANA zone when it is known and valid, else UTC. */
export function displayTimeZone(ianaTimezone: string | null | undefined): string {
  if (!ianaTimezone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: ianaTimezone });
    return ianaTimezone;
  } catch {
    return "UTC";
  }
}

function numericParts(d: Date, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute", number> {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" });
    partsCache.set(timeZone, f);
  }
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const p of f.formatToParts(d)) if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  return out;
}

/**
 * "23 Nov 2026, 07:54 GMT": a date in the shop's time zone (UTC until the shop's zone is known), naming the zone.
 * Only numeric parts come from Intl and the words and the offset are built here: Node and the browser ship
 * different ICU versions ("Sep" vs "Sept", "CET" vs "GMT+1", ", " vs " at "), and the server and client render
 * must be identical or React discards the page (hydration errors #418/#423).
 */
export function formatDateTime(value: string | Date | null | undefined, timeZone = "UTC"): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "—";
  const zone = displayTimeZone(timeZone);
  const p = numericParts(d, zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  // Wall-clock time read as UTC minus the instant = the zone's offset at that moment (minutes, DST included).
  const offset = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(d.getTime() / 60_000) * 60_000) / 60_000);
  const zoneName = zone === "UTC" ? "UTC" : offset === 0 ? "GMT" : `GMT${offset > 0 ? "+" : "-"}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${pad(Math.abs(offset) % 60)}` : ""}`;
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year}, ${pad(p.hour)}:${pad(p.minute)} ${zoneName}`;
}

export function formatMoney(amount: number | string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const n = typeof amount === "string" ? Number(amount) : amount;
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: currency || "GBP" }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency ?? ""}`.trim();
  }
}

/** "1 line", "3 lines", "2 transactions": a count with its noun, never "line(s)". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** "in 23 min", "12 min ago": for acceptance countdowns. */
export function formatRelative(target: string | Date, now: Date = new Date()): string {
  const t = typeof target === "string" ? new Date(target) : target;
  const diff = t.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const mins = Math.round(abs / 60_000);
  const text = mins < 60 ? `${mins} min` : mins < 48 * 60 ? `${Math.floor(mins / 60)} h ${mins % 60} min` : `${Math.round(mins / 1440)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
