import { Icon, InlineStack, Text } from "@shopify/polaris";
import { ClockIcon } from "@shopify/polaris-icons";
import { useEffect, useState } from "react";

/**
 * Time left to a deadline, ticking every second in the browser. It counts from the server's clock (`serverNow`) plus
 * the time elapsed since the page loaded, so a merchant whose computer clock is off still sees the marketplace's real
 * deadline; the first render equals the server render (no hydration mismatch).
 */
export function Countdown({
  deadline,
  serverNow,
  warnBelowMinutes = 120,
}: {
  deadline: string;
  serverNow: string;
  /** Below this many minutes left the countdown turns critical (the marketplace's escalation time). */
  warnBelowMinutes?: number;
}) {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    const loadedAt = Date.now();
    const timer = setInterval(() => setElapsed(Date.now() - loadedAt), 1_000);
    return () => clearInterval(timer);
  }, [serverNow]);
  const left = new Date(deadline).getTime() - (new Date(serverNow).getTime() + elapsed);
  const label = left <= 0 ? `expired ${formatDuration(-left)} ago` : `${formatDuration(left)} left`;
  const tone = left <= 0 || left < warnBelowMinutes * 60_000 ? "critical" : left < 2 * warnBelowMinutes * 60_000 ? "caution" : undefined;
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      <span style={{ display: "inline-flex" }}>
        <Icon source={ClockIcon} tone={tone === "critical" ? "critical" : tone === "caution" ? "caution" : "subdued"} />
      </span>
      <Text as="span" tone={tone} fontWeight={tone === "critical" ? "semibold" : undefined}>
        <span data-testid="countdown" data-deadline={deadline} title={`Deadline ${new Date(deadline).toUTCString()}`}>
          {label}
        </span>
      </Text>
    </InlineStack>
  );
}

/** "2 d 3 h", "1 h 05 min", "4 min 09 s", "12 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${pad(m)} min`;
  if (m > 0) return `${m} min ${pad(sec)} s`;
  return `${sec} s`;
}
