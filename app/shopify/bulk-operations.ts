import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { groupByParent, parseJsonl, type BulkGroup } from "./bulk-jsonl";
import { ShopifyBulkResultError, ShopifyUnavailableError } from "./errors";
import type { ShopifyGid } from "./gid";
import { decimalString, gidOf } from "./schemas";

export const BULK_OPERATION_RUN_QUERY_MUTATION = /* GraphQL */ `#graphql
  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation {
        id
        status
        createdAt
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_QUERY = /* GraphQL */ `#graphql
  query BulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      createdAt
      completedAt
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
    }
  }
`;

const bulkOperationSchema = z.object({
  id: gidOf("BulkOperation"),
  status: z.string(),
  errorCode: z.string().nullable().optional(),
  createdAt: z.string(),
  completedAt: z.string().nullable().optional(),
  objectCount: decimalString.optional(),
  rootObjectCount: decimalString.optional(),
  fileSize: decimalString.nullable().optional(),
  url: z.string().nullable().optional(),
  partialDataUrl: z.string().nullable().optional(),
});
export type BulkOperationState = z.infer<typeof bulkOperationSchema>;

const runSchema = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: gidOf("BulkOperation"), status: z.string(), createdAt: z.string() }).nullable(),
  }),
});
const pollSchema = z.object({ bulkOperation: bulkOperationSchema.nullable() });

/**
 * Start a bulk query. `groupObjects: true` because our reader groups children with their parent in one pass
 * (bulk-jsonl.ts); Shopify warns grouping is slower, but ungrouped output would force us to hold the whole
 * catalogue in memory to join children to parents.
 */
export async function runBulkQuery({
  client,
  query,
  groupObjects = true,
}: {
  client: AdminClient;
  query: string;
  groupObjects?: boolean;
}): Promise<{ id: ShopifyGid<"BulkOperation">; status: string }> {
  const data = await client.request({
    query: BULK_OPERATION_RUN_QUERY_MUTATION,
    operationName: "BulkOperationRunQuery",
    kind: "mutation",
    variables: { query, groupObjects },
    schema: runSchema,
  });
  const op = data.bulkOperationRunQuery.bulkOperation;
  if (!op) {
    throw new ShopifyUnavailableError("bulkOperationRunQuery returned no operation and no userErrors", {
      shop: client.shop,
      operationName: "BulkOperationRunQuery",
      kind: "mutation",
      attempts: 1,
      mayHaveApplied: true,
    });
  }
  return { id: op.id, status: op.status };
}

/** One poll; `currentBulkOperation` is deprecated in favour of bulkOperation(id:) (notes §4.7). */
export async function pollBulkOperation({
  client,
  id,
}: {
  client: AdminClient;
  id: ShopifyGid<"BulkOperation"> | string;
}): Promise<BulkOperationState | null> {
  const data = await client.request({
    query: BULK_OPERATION_QUERY,
    operationName: "BulkOperation",
    kind: "query",
    variables: { id },
    schema: pollSchema,
  });
  return data.bulkOperation;
}

const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELED", "EXPIRED"]);

export type BulkWaitOutcome =
  | { kind: "completed"; operation: BulkOperationState }
  | { kind: "failed"; operation: BulkOperationState }
  | { kind: "still_running"; operation: BulkOperationState | null };

/**
 * Poll until the operation finishes or `timeoutMs` passes. Long exports should rather be re-enqueued (or
 * driven by the bulk_operations/finish webhook) than hold a worker; "still_running" lets the caller choose.
 */
export async function waitForBulkOperation({
  client,
  id,
  intervalMs = 2_000,
  timeoutMs = 120_000,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  now = Date.now,
}: {
  client: AdminClient;
  id: ShopifyGid<"BulkOperation"> | string;
  intervalMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}): Promise<BulkWaitOutcome> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const operation = await pollBulkOperation({ client, id });
    if (operation && FINISHED.has(operation.status)) {
      return operation.status === "COMPLETED" ? { kind: "completed", operation } : { kind: "failed", operation };
    }
    if (now() + intervalMs > deadline) return { kind: "still_running", operation };
    await sleep(intervalMs);
  }
}

/**
 * Stream a bulk result file and yield objects grouped with their children (constant memory).
 * The URL is a signed storage URL, not the Admin API: no access token is sent to it.
 * `idleTimeoutMs` aborts a download that stops delivering data; a total timeout would be wrong for
 * files whose size we do not know.
 */
export async function* downloadBulkResult({
  url,
  fetch: doFetch = globalThis.fetch,
  idleTimeoutMs = 60_000,
}: {
  url: string;
  fetch?: typeof globalThis.fetch;
  idleTimeoutMs?: number;
}): AsyncGenerator<BulkGroup, void, undefined> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), idleTimeoutMs);
  };
  arm();
  try {
    let res: Response;
    try {
      res = await doFetch(url, { method: "GET", signal: controller.signal });
    } catch (cause) {
      throw new ShopifyBulkResultError("Could not download the bulk result", {}, { retryable: true, cause });
    }
    if (!res.ok || !res.body) {
      // 5xx may pass; 4xx means an expired or wrong URL: start a new bulk operation instead.
      throw new ShopifyBulkResultError(`Bulk result download answered HTTP ${res.status}`, { status: res.status }, {
        retryable: res.status >= 500,
      });
    }
    const body = res.body;
    async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
      const reader = body.getReader();
      try {
        for (;;) {
          let step: ReadableStreamReadResult<Uint8Array>;
          try {
            step = await reader.read();
          } catch (cause) {
            throw new ShopifyBulkResultError("Bulk result download broke off", {}, { retryable: true, cause });
          }
          if (step.done) return;
          arm();
          if (step.value) yield step.value;
        }
      } finally {
        reader.releaseLock();
      }
    }
    yield* groupByParent(parseJsonl(chunks()));
  } finally {
    if (timer) clearTimeout(timer);
    controller.abort();
  }
}
