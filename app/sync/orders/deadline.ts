import { AppError } from "../../lib/errors";

export class DeadlineExceededError extends AppError {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`, { code: "DEADLINE_EXCEEDED", retryable: true, details: { what, ms } });
  }
}

/**
 * Waits for `promise` at most `ms`. Used for the few Shopify reads acceptance may make: the Admin client itself
 * waits up to a minute for a throttled bucket, which is fine for an import but not for OR21. The read keeps
 * running in the background (harmless for a query); only our waiting stops.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
