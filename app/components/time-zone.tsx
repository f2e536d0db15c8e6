import { createContext, useCallback, useContext, type ReactNode } from "react";
import { formatDateTime } from "./format";

/**
 * The shop's time zone for every screen under /app. The layout loader (app/routes/app.tsx) reads it from the Shop
 * row and provides it here, so the server render and the browser use the same zone and print the same text (the
 * browser's own zone is never used: that would be a hydration mismatch and the wrong zone for the merchant).
 * Outside a provider (error pages without loader data, isolated tests) dates read in UTC, which names itself.
 */
const TimeZoneContext = createContext<string>("UTC");

export function TimeZoneProvider({
  timeZone,
  children,
}: {
  timeZone: string;
  children: ReactNode;
}) {
  return (
    <TimeZoneContext.Provider value={timeZone}>
      {children}
    </TimeZoneContext.Provider>
  );
}

/** The zone dates are shown in, for code that passes it on (pure text helpers, the order timeline). */
export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

/** `formatDateTime` bound to the shop's zone: "23 Nov 2026, 07:54 GMT". */
export function useFormatDateTime(): (
  value: string | Date | null | undefined
) => string {
  const timeZone = useTimeZone();
  return useCallback(
    (value: string | Date | null | undefined) =>
      formatDateTime(value, timeZone),
    [timeZone]
  );
}

/** A date in the shop's zone, as text. */
export function DateTime({
  value,
}: {
  value: string | Date | null | undefined;
}) {
  return <>{useFormatDateTime()(value)}</>;
}
