/** BulkOperation and Job. */
import { gid } from "../ids";
import type { BulkOperationRec, JobRec } from "../model";
import { gqlTime } from "../time";
import type { ViewCtx } from "./view-context";

export function bulkResultPath(shopId: number, id: number): string {
  return `/_sim/bulk/${shopId}/${id}.jsonl`;
}

export function bulkOperationView(ctx: ViewCtx, b: BulkOperationRec) {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", b.id),
    type: "QUERY",
    query: b.query,
    get status() {
      return b.status;
    },
    get errorCode() {
      return b.errorCode;
    },
    createdAt: gqlTime(b.createdAt),
    get completedAt() {
      return gqlTime(b.completedAt);
    },
    get objectCount() {
      return String(b.objectCount);
    },
    get rootObjectCount() {
      return String(b.rootObjectCount);
    },
    get fileSize() {
      return b.jsonl === null ? null : String(Buffer.byteLength(b.jsonl));
    },
    get url() {
      // Shopify gives no URL for a completed operation with no results.
      return b.status === "COMPLETED" && b.jsonl ? `${ctx.baseUrl}${bulkResultPath(ctx.shop.id, b.id)}` : null;
    },
    partialDataUrl: null,
  };
}

export function jobView(job: JobRec, queryRoot: unknown) {
  return {
    __typename: "Job",
    id: gid("Job", job.id),
    get done() {
      return job.done;
    },
    query: () => queryRoot,
  };
}
