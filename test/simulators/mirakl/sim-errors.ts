/**
 * The error the simulator answers with: Mirakl's classic body `{"status":N,"message":"..."}` plus `code` for the
 * machine codes some operations document (OR21's ORDER_INVALID_STATE ...; notes §1.8, key name [U]).
 */
export class MiraklApiError extends Error {
  readonly status: number;
  readonly code?: string;
  readonly headers?: Record<string, string>;

  constructor(status: number, message: string, opts: { code?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "MiraklApiError";
    this.status = status;
    this.code = opts.code;
    this.headers = opts.headers;
  }

  body(): { status: number; message: string; code?: string } {
    return this.code ? { status: this.status, message: this.message, code: this.code } : { status: this.status, message: this.message };
  }
}

export const badRequest = (message: string, code?: string) => new MiraklApiError(400, message, { code });
export const notFound = (message: string, code?: string) => new MiraklApiError(404, message, { code });
