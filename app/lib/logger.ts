/**
 * Structured JSON logs, one line per event, with a context (shop, connection, job, Mirakl order id)
 * carried by child loggers. Secrets are redacted by key name before anything is written, so a stray
 * `{ apiKey }` in a context can never reach the log.
 */
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEYS = /(api[-_]?key|authorization|access[-_]?token|refresh[-_]?token|secret|password|cookie|encrypted|hmac)/i;

export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(msg: string, ctx?: LogContext): void;
  info(msg: string, ctx?: LogContext): void;
  warn(msg: string, ctx?: LogContext): void;
  error(msg: string, ctx?: LogContext): void;
  child(ctx: LogContext): Logger;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(redact({ ...value }, depth + 1) as object) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.test(k) ? "[redacted]" : redact(v, depth + 1);
  }
  return out;
}

let sink: (line: string, level: Level) => void = (line, level) => {
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
};
let minLevel: Level = (process.env.LOG_LEVEL as Level | undefined) ?? "info";

/** Tests capture log lines (to prove secrets never reach them) and silence noise. */
export function setLogSink(fn: (line: string, level: Level) => void, level?: Level): void {
  sink = fn;
  if (level) minLevel = level;
}
export function setLogLevel(level: Level): void {
  minLevel = level;
}

function make(base: LogContext): Logger {
  const write = (level: Level, msg: string, ctx?: LogContext) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const record = redact({ time: new Date().toISOString(), level, msg, ...base, ...ctx });
    sink(JSON.stringify(record), level);
  };
  return {
    debug: (m, c) => write("debug", m, c),
    info: (m, c) => write("info", m, c),
    warn: (m, c) => write("warn", m, c),
    error: (m, c) => write("error", m, c),
    child: (ctx) => make({ ...base, ...ctx }),
  };
}

export const logger: Logger = make({});
