/**
 * Base class for every error the app throws on purpose.
 *
 * `retryable` is the one thing the job runner needs to know: a retryable error is retried with backoff,
 * anything else is dead-lettered at once (and usually becomes a Task). Modules map vendor failures onto
 * subclasses in one place (app/mirakl/errors.ts, app/shopify/errors.ts) so callers never inspect HTTP codes.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;
  /** Milliseconds the caller should wait before retrying, when the remote side told us (Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    opts: {
      code: string;
      retryable: boolean;
      details?: Record<string, unknown>;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.retryable = opts.retryable;
    this.details = opts.details;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Input from outside (a form, a webhook, a CSV row) that does not fit. Never retryable. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, { code: "VALIDATION", retryable: false, details });
  }
}

/** Something that should exist does not (a connection, an order link). */
export class NotFoundError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, { code: "NOT_FOUND", retryable: false, details });
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return err.retryable;
  // Unknown errors (a bug, a dropped DB connection) are retried: the retry limit and the dead letter
  // queue bound the damage, and a transient fault is far commoner than a deterministic crash.
  return true;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
