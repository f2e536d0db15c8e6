import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { formatMoney } from "../components/format";
import { useFormatDateTime } from "../components/time-zone";
import { markRefundDoneInPortal, sendRefundRequest } from "../sync/adjustments/refund-requests.server";
import { refreshRefundForView } from "../sync/adjustments/refund-replan.server";
import { refundView } from "../sync/adjustments/refund-views.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  // A plan made before the order shipped (or was cancelled) would give the wrong instruction: re-plan it first.
  const refresh = await refreshRefundForView({ services: s, shop, id: String(params.id) });
  const view = await refundView({ services: s, shop, id: String(params.id) });
  if (!view) throw new Response("This refund does not exist (it may belong to another shop).", { status: 404 });
  return { view, refreshWarning: refresh.warning };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send"), reasonCode: z.string().trim().min(1, "Choose a refund reason") }),
  z.object({ intent: z.literal("done") }),
]);

type ActionData = { tone: "success" | "critical" | "warning" | "info"; message: string };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionData> => {
  const { shop } = await requireAdmin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { tone: "critical", message: parsed.error.issues[0]?.message ?? "Invalid request" };
  const s = services();
  const id = String(params.id);
  if (parsed.data.intent === "done") {
    const r = await markRefundDoneInPortal({ services: s, shop, refundRequestId: id, by: "staff" });
    return r.kind === "done" ? { tone: "success", message: "Marked as refunded in the Mirakl back office. The task is closed." } : { tone: "warning", message: r.reason };
  }
  const r = await sendRefundRequest({ services: s, shop, refundRequestId: id, reasonCode: parsed.data.reasonCode, mode: "interactive", by: "staff" });
  switch (r.kind) {
    case "sent":
      return { tone: "success", message: `Refund sent to Mirakl (refund ${r.refundIds.join(", ")}).` };
    case "already_applied":
      return { tone: "success", message: `Mirakl already had this refund (refund ${r.refundIds.join(", ")}); it was not sent twice.` };
    case "pending":
      return { tone: "warning", message: r.message };
    case "refused":
      return { tone: "critical", message: `Mirakl refused the refund: ${r.message}` };
    case "nothing_to_send":
      return { tone: "warning", message: `Nothing can be sent to Mirakl: ${r.reason}` };
    case "busy":
      return { tone: "info", message: "This refund is being sent right now; reload in a moment." };
    case "not_allowed":
      return { tone: "info", message: r.reason };
    case "invalid":
      return { tone: "critical", message: r.message };
  }
};

export default function RefundPage() {
  const formatDateTime = useFormatDateTime();
  const { view, refreshWarning } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const [reason, setReason] = useState(view.reasonCode ?? "");
  const busy = (intent: string) => nav.state !== "idle" && nav.formData?.get("intent") === intent;
  const money = (v: number | null | undefined) => formatMoney(v ?? null, view.currency);
  const post = (intent: string, extra: Record<string, string> = {}) => {
    const fd = new FormData();
    fd.set("intent", intent);
    for (const [k, v] of Object.entries(extra)) fd.set(k, v);
    submit(fd, { method: "post" });
  };

  const rows = view.rows.map((r) => [
    <BlockStack gap="050" key={`${r.key}-label`}>
      <Text as="span" fontWeight="semibold">
        {r.label}
      </Text>
      <Text as="span" tone="subdued" variant="bodySm">
        {[r.label === r.offerSku ? null : r.offerSku, r.orderLineId ? `line ${r.orderLineId}` : null].filter(Boolean).join(" · ")}
      </Text>
    </BlockStack>,
    r.shopify ? (
      <BlockStack gap="050" key={`${r.key}-shopify`}>
        <Text as="span">{r.shopify.quantity > 0 ? `${r.shopify.quantity} × ${money(r.shopify.amount)}` : "—"}</Text>
        {r.shopify.shipping > 0 && <Text as="span">{`${money(r.shopify.shipping)} shipping`}</Text>}
      </BlockStack>
    ) : (
      "—"
    ),
    r.mirakl ? (
      <BlockStack gap="050" key={`${r.key}-mirakl`}>
        {(r.mirakl.quantity > 0 || r.mirakl.amount > 0 || r.mirakl.shippingAmount === 0) && <Text as="span">{`${r.mirakl.quantity} × ${money(r.mirakl.amount)} (tax ${money(r.mirakl.taxes)})`}</Text>}
        {r.mirakl.shippingAmount > 0 && <Text as="span">{`${money(r.mirakl.shippingAmount)} shipping (tax ${money(r.mirakl.shippingTaxes)})`}</Text>}
        {r.allowed && (
          <Text as="span" tone="subdued" variant="bodySm">
            {`Mirakl still allows ${money(r.allowed.amount)} + ${money(r.allowed.shippingAmount)} shipping`}
          </Text>
        )}
      </BlockStack>
    ) : (
      "—"
    ),
    r.coveredBy ? (
      <Badge tone="info" key={`${r.key}-cv`}>
        Cancelled instead
      </Badge>
    ) : r.blocked ? (
      <Badge tone="critical" key={`${r.key}-b`}>
        Not sent
      </Badge>
    ) : r.capped ? (
      <Badge tone="warning" key={`${r.key}-c`}>
        Capped
      </Badge>
    ) : r.mirakl ? (
      <Badge tone="success" key={`${r.key}-ok`}>
        {money(r.mirakl.total)}
      </Badge>
    ) : (
      "—"
    ),
  ]);
  const explanations = view.rows.flatMap((r) => [r.capped, r.blocked].filter((x): x is string => Boolean(x)).map((x) => `${r.label}: ${x}`));

  return (
    <Page
      title={`Refund ${view.order.shopifyOrderName ?? ""} on ${view.order.marketplace}`}
      titleMetadata={<Badge tone={view.statusTone}>{view.statusLabel}</Badge>}
      subtitle={`${view.origin === "MIRAKL_PORTAL" ? "Made in the Mirakl back office" : "Made in Shopify"} ${formatDateTime(view.createdAt)}`}
      backAction={{ content: "Refunds", url: "/app/refunds" }}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.tone}>
              <p data-testid="refund-result">{result.message}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Banner tone={view.action === "mirakl" || view.action === "review_refusal" ? "warning" : view.action === "send" ? "info" : "success"} title="What to do">
            <p data-testid="refund-todo">{view.todo}</p>
          </Banner>
        </Layout.Section>
        {refreshWarning && (
          <Layout.Section>
            <Banner tone="warning">
              <p>{refreshWarning}</p>
            </Banner>
          </Layout.Section>
        )}
        {view.lastError && !result && (view.status === "FAILED" || view.status === "SENDING" || view.status === "OPEN") && (
          <Layout.Section>
            <Banner tone={view.status === "FAILED" ? "critical" : "warning"}>
              <p>{view.status === "SENDING" ? `Mirakl did not answer the last attempt (${view.lastError}). We are checking the order on Mirakl and will finish it without sending it twice.` : view.lastError}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Shopify refund and what Mirakl would refund
                </Text>
                <InlineStack gap="400">
                  <Text as="span">Shopify: {money(view.shopifyAmount)}</Text>
                  <Text as="span" fontWeight="bold">
                    Mirakl: {money(view.miraklTotal)}
                  </Text>
                </InlineStack>
              </InlineStack>
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Item", "Refunded in Shopify", "Mirakl refund", "To Mirakl"]}
                rows={rows}
              />
              {explanations.length > 0 && (
                <Banner tone="warning" title="Differences with the Shopify refund">
                  <BlockStack gap="100">
                    {explanations.map((x) => (
                      <p key={x}>{x}</p>
                    ))}
                  </BlockStack>
                </Banner>
              )}
              <Text as="p" tone="subdued" variant="bodySm">
                Amounts come from the Mirakl order line (price and tax per unit, pro rata, rounded to the cent) and never exceed what Mirakl still allows on the line. They are checked again against Mirakl when you send.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {view.status === "SENT" ? "Sent to Mirakl" : view.origin === "MIRAKL_PORTAL" ? "Made on Mirakl" : "Refund on Mirakl"}
              </Text>
              {view.status === "SENT" || view.status === "DONE_IN_PORTAL" ? (
                <BlockStack gap="100">
                  <Text as="p">
                    <Badge tone={view.statusTone}>{view.statusLabel}</Badge>
                  </Text>
                  {view.miraklRefundIds.length > 0 && <Text as="p">Mirakl refund {view.miraklRefundIds.join(", ")}</Text>}
                  {view.sentAt && <Text as="p">Sent {formatDateTime(view.sentAt)}</Text>}
                  {view.reasonCode && <Text as="p">Reason: {view.reasons.find((r) => r.code === view.reasonCode)?.label ?? view.reasonCode}</Text>}
                </BlockStack>
              ) : (
                <BlockStack gap="300">
                  <Select
                    label="Refund reason"
                    options={[{ label: "Choose a reason from the marketplace's list", value: "" }, ...view.reasons.map((r) => ({ label: r.label, value: r.code }))]}
                    value={reason}
                    onChange={setReason}
                    disabled={!view.canSend}
                    helpText={view.reasons.length === 0 ? "The marketplace lists no refund reason your shop may use: refund in the Mirakl back office." : `The reasons ${view.order.marketplace} accepts for a refund from your shop.`}
                  />
                  <Button variant="primary" disabled={!view.canSend || reason === ""} loading={busy("send")} onClick={() => post("send", { reasonCode: reason })}>
                    Send refund to Mirakl
                  </Button>
                  <Button disabled={!view.canMarkDone} loading={busy("done")} onClick={() => post("done")}>
                    Mark done in the Mirakl portal
                  </Button>
                  {view.status === "SENDING" && <Text as="p" tone="subdued">Being sent or checked with Mirakl.</Text>}
                </BlockStack>
              )}
              <Box paddingBlockStart="200">
                <BlockStack gap="100">
                  <Text as="p" tone="subdued" variant="bodySm">
                    <Link to={`/app/orders/${view.order.linkId}`} data-testid="refund-order-link">
                      {`Mirakl order ${view.order.miraklOrderId}`}
                    </Link>
                    {` · on Mirakl: ${view.order.miraklStateLabel}`}
                  </Text>
                  {view.order.shopifyOrderUrl && (
                    <Button variant="plain" url={view.order.shopifyOrderUrl} target="_blank">
                      Open {view.order.shopifyOrderName ?? "the order"} in Shopify
                    </Button>
                  )}
                </BlockStack>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
