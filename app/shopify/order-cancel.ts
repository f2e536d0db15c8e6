import { z } from "zod";
import type { AdminClient } from "./admin-client";
import type { ShopifyGid } from "./gid";
import { gidOf } from "./schemas";

/**
 * orderCancel is asynchronous (returns a Job) and irreversible. Its errors come as `orderCancelUserErrors`
 * (`userErrors` is deprecated), which the client's userErrors scan catches like any other (notes §4.2).
 */
export const ORDER_CANCEL_MUTATION = /* GraphQL */ `#graphql
  mutation OrderCancel(
    $orderId: ID!
    $reason: OrderCancelReason!
    $restock: Boolean!
    $notifyCustomer: Boolean
    $staffNote: String
    $refundMethod: OrderCancelRefundMethodInput
  ) {
    orderCancel(
      orderId: $orderId
      reason: $reason
      restock: $restock
      notifyCustomer: $notifyCustomer
      staffNote: $staffNote
      refundMethod: $refundMethod
    ) {
      job {
        id
        done
      }
      orderCancelUserErrors {
        field
        message
        code
      }
    }
  }
`;

export const JOB_QUERY = /* GraphQL */ `#graphql
  query Job($id: ID!) {
    job(id: $id) {
      id
      done
    }
  }
`;

export type OrderCancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "STAFF" | "OTHER";

const cancelSchema = z.object({
  orderCancel: z.object({ job: z.object({ id: gidOf("Job"), done: z.boolean() }).nullable() }),
});
const jobSchema = z.object({ job: z.object({ id: gidOf("Job"), done: z.boolean() }).nullable() });

/** staffNote is limited to 255 characters by Shopify. */
const STAFF_NOTE_MAX = 255;

/**
 * Cancel an order (e.g. Mirakl refused or cancelled it before shipment). Not idempotent: cancelling a
 * cancelled order is a userError, so after ShopifyUnavailableError{mayHaveApplied} read `cancelledAt`
 * (getOrder) before trying again. `refund: false` is the normal case: the marketplace holds the money.
 */
export async function cancelOrder({
  client,
  orderId,
  reason,
  restock,
  notifyCustomer = false,
  staffNote,
  refund = false,
}: {
  client: AdminClient;
  orderId: ShopifyGid;
  reason: OrderCancelReason;
  restock: boolean;
  notifyCustomer?: boolean;
  staffNote?: string;
  refund?: boolean;
}): Promise<{ jobId: ShopifyGid<"Job"> | null; jobDone: boolean }> {
  const note = staffNote && staffNote.length > STAFF_NOTE_MAX ? `${staffNote.slice(0, STAFF_NOTE_MAX - 1)}…` : staffNote;
  const data = await client.request({
    query: ORDER_CANCEL_MUTATION,
    operationName: "OrderCancel",
    kind: "mutation",
    variables: {
      orderId,
      reason,
      restock,
      notifyCustomer,
      staffNote: note ?? null,
      // `refund: Boolean` is superseded by refundMethod in 2026-04; always explicit, never the server default.
      refundMethod: { originalPaymentMethodsRefund: refund },
    },
    schema: cancelSchema,
  });
  const job = data.orderCancel.job;
  return { jobId: job?.id ?? null, jobDone: job?.done ?? false };
}

/** Poll an asynchronous job (orderCancel). null when Shopify no longer knows the job. */
export async function getJob({ client, id }: { client: AdminClient; id: ShopifyGid }): Promise<{ id: ShopifyGid<"Job">; done: boolean } | null> {
  const data = await client.request({ query: JOB_QUERY, operationName: "Job", kind: "query", variables: { id }, schema: jobSchema });
  return data.job;
}
