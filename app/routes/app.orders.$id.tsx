import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, DataTable, InlineGrid, InlineStack, Layout, Link as PolarisLink, List, Modal, Page, Text, Tooltip } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { errorMessage } from "../lib/errors";
import { miraklOrderSchema, type MiraklOrderLine } from "../mirakl";
import { retryOrder, type RetryOutcome } from "../sync/orders/retry.server";
import { handledBeforeConnector } from "../sync/orders/link-transitions";
import { decideHeldOrder, type DecideHeldOutcome } from "../sync/orders/acceptance.server";
import { canRetry, lastErrorNotice, orderTasksAndRefunds } from "../sync/orders/order-views.server";
import { useTimeZone } from "../components/time-zone";
import { decisionConfirmation, fulfilmentStatusLabel, lineStateLabel, orderStatusView, taxName, type DecisionConfirmation } from "../sync/orders/order-views";
import { Countdown } from "../components/countdown";
import { formatDateTime, formatMoney } from "../components/format";
import { AcceptanceBadge, ImportBadge, acceptanceCountdownApplies, miraklStateLabel, shopifyAdminOrderUrl } from "../components/order-status";
import { RefundStatusBadge } from "../components/refund-status-badge";
import { Timeline } from "../components/timeline";

type LineDecision = { orderLineId?: string; offerSku?: string; quantity?: number; accepted?: boolean; reason?: string; check?: string };

function decisionLines(decision: unknown): LineDecision[] {
  const lines = Array.isArray(decision) ? decision : decision && typeof decision === "object" && Array.isArray((decision as { lines?: unknown }).lines) ? (decision as { lines: unknown[] }).lines : [];
  return lines.filter((l): l is LineDecision => !!l && typeof l === "object");
}

const ORDER_NOT_FOUND = "This order does not exist (or belongs to another shop).";

/** "VAT £19.98 (20%)": each tax in plain words, with Mirakl's code ("UK_VAT_STD") kept for a tooltip. */
const taxText = (taxes: MiraklOrderLine["taxes"], currency: string | null) =>
  taxes.map((t) => ({ code: t.code, text: `${taxName(t.code)} ${formatMoney(t.amount ?? 0, currency)}${t.rate !== null && t.rate !== undefined ? ` (${t.rate}%)` : ""}` }));

/** Taxes as "VAT £19.98 (20%)" (shipping ones as "Shipping VAT …"), each with its Mirakl code in a tooltip. */
function TaxList({ taxes, prefix = "" }: { taxes: ReadonlyArray<{ code: string; text: string }>; prefix?: string }) {
  return (
    <Text as="span" variant="bodySm" tone="subdued">
      {taxes.map((t, i) => (
        <span key={i}>
          {i > 0 ? ", " : ""}
          <Tooltip content={`Mirakl tax code: ${t.code}`}>
            <span>{`${prefix}${t.text}`}</span>
          </Tooltip>
        </span>
      ))}
    </Text>
  );
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const id = z.string().uuid().safeParse(params.id);
  // A mistyped or truncated address is the same thing to a merchant as a missing order: one message for both.
  const link = id.success ? await s.prisma.orderLink.findFirst({ where: { id: id.data, shop } }) : null;
  if (!link) throw new Response(ORDER_NOT_FOUND, { status: 404 });
  const connection = await s.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: link.connectionId }, select: { id: true, name: true, orderTaxMode: true, acceptanceEscalationMinutes: true, partialAcceptance: true } });
  const parsed = miraklOrderSchema.safeParse(link.snapshot);
  const order = parsed.success ? parsed.data : null;
  const currency = link.currency ?? order?.currency_iso_code ?? null;
  const skus = [...new Set(order?.order_lines.map((l) => l.offer_sku) ?? [])];
  const mappings = skus.length
    ? await s.prisma.skuMapping.findMany({ where: { connectionId: link.connectionId, offerSku: { in: skus } }, select: { offerSku: true, matchStatus: true, shopifySku: true, productTitle: true } })
    : [];
  const decisions = decisionLines(link.acceptanceDecision);
  const lines = (order?.order_lines ?? []).map((l) => {
    const m = mappings.find((x) => x.offerSku === l.offer_sku);
    const d = decisions.find((x) => x.orderLineId === l.order_line_id) ?? decisions.find((x) => !x.orderLineId && x.offerSku === l.offer_sku);
    return {
      id: l.order_line_id,
      offerSku: l.offer_sku,
      title: l.product_title ?? "",
      state: lineStateLabel(l.order_line_state, d?.accepted ?? null, link.acceptanceStatus),
      quantity: l.quantity,
      unitPrice: formatMoney(l.price_unit ?? (l.quantity ? l.price / l.quantity : l.price), currency),
      price: formatMoney(l.price, currency),
      shipping: formatMoney(l.shipping_price ?? 0, currency),
      taxes: taxText(l.taxes, currency),
      shippingTaxes: taxText(l.shipping_taxes, currency),
      mapping: m ? `${m.matchStatus === "MATCHED" ? `→ ${m.shopifySku ?? ""}` : m.matchStatus.toLowerCase()}` : "not synced",
      mapped: m?.matchStatus === "MATCHED",
      decision: d ? (d.accepted === true ? "Accept" : d.accepted === false ? `Refuse${d.reason ? ` (${d.reason})` : ""}` : `Undecided${d.reason ? ` (${d.reason})` : ""}`) : "—",
      // What the automatic checks said (stock, SKU link): accepting a line they failed needs a confirmation.
      proposeAccept: d ? (d.check && d.check !== "manual" ? d.check === "ok" : d.accepted === true) : m?.matchStatus === "MATCHED",
      problem: d?.reason ?? (m?.matchStatus === "MATCHED" ? null : `SKU ${l.offer_sku} is not linked to a Shopify product`),
      active: l.order_line_state !== "REFUSED" && l.order_line_state !== "CANCELED",
    };
  });
  const events = await s.prisma.syncEvent.findMany({ where: { entityType: "order", entityId: link.id }, orderBy: { createdAt: "desc" }, take: 200 });
  const { tasks, refunds } = await orderTasksAndRefunds(s.prisma, shop, link, skus);
  const beforeConnector = handledBeforeConnector(link);
  return {
    now: new Date().toISOString(),
    connection,
    link: {
      id: link.id,
      miraklOrderId: link.miraklOrderId,
      miraklCommercialId: link.miraklCommercialId,
      miraklState: link.miraklState,
      miraklCreatedAt: link.miraklCreatedAt.toISOString(),
      miraklLastUpdated: link.miraklLastUpdated.toISOString(),
      acceptanceDeadline: link.acceptanceDeadline?.toISOString() ?? null,
      shippingDeadline: link.shippingDeadline?.toISOString() ?? null,
      acceptanceStatus: link.acceptanceStatus,
      acceptedAt: link.acceptedAt?.toISOString() ?? null,
      importStatus: link.importStatus,
      importAttempts: link.importAttempts,
      holdReason: link.holdReason,
      shopifyOrderName: link.shopifyOrderName,
      shopifyUrl: shopifyAdminOrderUrl(shop, link.shopifyOrderId),
      shopifyState: link.shopifyState,
      fulfilmentStatus: link.fulfilmentStatus,
      totalPrice: link.totalPrice?.toString() ?? null,
      commissionTotal: link.commissionTotal?.toString() ?? null,
      currency,
      beforeConnector,
      status: orderStatusView({ ...link, beforeConnector }),
      errorNotice: lastErrorNotice(link.lastError),
      retryable: canRetry(link),
    },
    order: order
      ? {
          totalPrice: order.total_price ?? null,
          shippingPrice: order.shipping_price ?? null,
          price: order.price ?? null,
          taxMode: order.order_tax_mode ?? connection.orderTaxMode,
          paymentWorkflow: order.payment_workflow ?? null,
        }
      : null,
    snapshotUnreadable: !parsed.success,
    lines,
    events: events.map((e) => ({ id: e.id, kind: e.kind, level: e.level, message: e.message, createdAt: e.createdAt.toISOString() })),
    tasks,
    refunds,
  };
};

type ActionData = { ok?: string; error?: string };

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["retry", "accept", "refuse"]) }),
  // Per-line decision (partial acceptance): `accept` lists the line ids to accept, every other line is refused.
  z.object({ intent: z.literal("lines"), accept: z.array(z.string()) }),
]);

function describeDecision(r: DecideHeldOutcome, what: string): ActionData {
  switch (r.kind) {
    case "sent":
      return { ok: `${what}: sent to Mirakl, the order is now ${r.status === "PARTIALLY_ACCEPTED" ? "partly accepted" : r.status.toLowerCase().replace(/_/g, " ")}.` };
    case "queued":
      return { ok: `${what}: saved; it is sent to Mirakl as soon as Mirakl answers (retried in the background).` };
    case "not_waiting":
      return { error: `The order is no longer waiting for acceptance (${r.state.toLowerCase().replace(/_/g, " ")}): nothing was sent.` };
    case "invalid":
      return { error: r.message };
    case "not_found":
      return { error: "This order no longer exists." };
  }
}

function describeRetry(r: RetryOutcome): ActionData {
  switch (r.kind) {
    case "queued":
      return { ok: `Retry queued (${r.jobs.map((j) => j.replace(/^orders\./, "").replace(/[.-]/g, " ")).join(", ")}): the timeline shows the result in a moment.` };
    case "nothing_to_do":
      return { ok: `Nothing to retry: ${r.reason}.` };
    case "not_found":
      return { error: "This order no longer exists." };
  }
}

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionData> => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const form = await request.formData();
  const parsed = actionSchema.safeParse({ intent: form.get("intent"), accept: form.getAll("accept").map(String) });
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success) return { error: ORDER_NOT_FOUND };
  if (!parsed.success) return { error: "Unknown action." };
  const link = await s.prisma.orderLink.findFirst({ where: { id: id.data, shop }, select: { id: true, snapshot: true } });
  if (!link) return { error: ORDER_NOT_FOUND };
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "retry":
        return describeRetry(await retryOrder({ services: s, orderLinkId: link.id }));
      case "accept":
      case "refuse":
        return describeDecision(await decideHeldOrder({ services: s, orderLinkId: link.id, decision: input.intent }), input.intent === "accept" ? "Accepted" : "Refused");
      case "lines": {
        const order = miraklOrderSchema.safeParse(link.snapshot);
        if (!order.success) return { error: "The order's lines could not be read: accept or refuse all of it." };
        const accepted = new Set(input.accept);
        const lines = Object.fromEntries(order.data.order_lines.map((l) => [l.order_line_id, accepted.has(l.order_line_id)]));
        return describeDecision(await decideHeldOrder({ services: s, orderLinkId: link.id, decision: { lines } }), "Decision per line");
      }
    }
  } catch (err) {
    return { error: errorMessage(err) };
  }
};

type Decision = "accept" | "refuse" | { accept: string[] };

export default function OrderDetail() {
  const { link, order, lines, events, tasks, refunds, connection, now, snapshotUnreadable } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const busy = (intent: string) => nav.state !== "idle" && nav.formData?.get("intent") === intent;
  const post = (intent: string) => submit({ intent }, { method: "post" });
  const held = link.acceptanceStatus === "HELD" && link.miraklState === "WAITING_ACCEPTANCE";
  const retryable = link.retryable;
  // An irreversible decision (a refusal, or accepting lines that failed the checks) is confirmed in a Polaris Modal:
  // it works the same embedded in the Shopify admin (inside the app's frame) and in the demo, with no App Bridge call.
  const [pending, setPending] = useState<{ decision: Decision; confirm: DecisionConfirmation } | null>(null);
  const send = (decision: Decision) => {
    if (decision === "accept" || decision === "refuse") return post(decision);
    const fd = new FormData();
    fd.set("intent", "lines");
    for (const id of decision.accept) fd.append("accept", id);
    submit(fd, { method: "post" });
  };
  const decide = (decision: Decision) => {
    const confirm = decisionConfirmation({ decision, lines, marketplace: connection.name });
    if (confirm) setPending({ decision, confirm });
    else send(decision);
  };
  const status = link.status;

  return (
    <Page
      title={`Order ${link.miraklOrderId}`}
      titleMetadata={<AcceptanceBadge status={link.acceptanceStatus} />}
      subtitle={`${connection.name}${link.miraklCommercialId ? ` · commercial id ${link.miraklCommercialId}` : ""} · ${status.mirakl}`}
      backAction={{ content: "Orders", url: "/app/orders" }}
      primaryAction={held ? { content: "Accept order", loading: busy("accept"), onAction: () => decide("accept") } : retryable ? { content: "Retry", loading: busy("retry"), onAction: () => post("retry") } : undefined}
      secondaryActions={[
        ...(held ? [{ content: "Refuse order", destructive: true, loading: busy("refuse"), onAction: () => decide("refuse") }] : []),
        ...(held && retryable ? [{ content: "Retry", loading: busy("retry"), onAction: () => post("retry") }] : []),
      ]}
    >
      {pending && (
        <Modal
          open
          onClose={() => setPending(null)}
          title={pending.confirm.title}
          primaryAction={{
            content: pending.confirm.confirmLabel,
            destructive: pending.confirm.destructive,
            onAction: () => {
              const d = pending.decision;
              setPending(null);
              send(d);
            },
          }}
          secondaryActions={[{ content: "Cancel", onAction: () => setPending(null) }]}
        >
          <Modal.Section>
            <div data-testid="decision-confirmation">
              <BlockStack gap="300">
                <List type="bullet">
                  {pending.confirm.lines.map((l) => (
                    <List.Item key={l}>{l}</List.Item>
                  ))}
                </List>
                {pending.confirm.risky.length > 0 && (
                  <BlockStack gap="100">
                    <Text as="p" fontWeight="semibold">
                      These lines failed the automatic checks:
                    </Text>
                    <List type="bullet">
                      {pending.confirm.risky.map((l) => (
                        <List.Item key={l}>{l}</List.Item>
                      ))}
                    </List>
                  </BlockStack>
                )}
                <Text as="p">{pending.confirm.consequence}</Text>
              </BlockStack>
            </div>
          </Modal.Section>
        </Modal>
      )}
      <BlockStack gap="400">
        {data?.ok && <Banner tone="success" title={data.ok} />}
        {data?.error && (
          <Banner tone="critical" title="That did not work">
            <p>{data.error}</p>
          </Banner>
        )}
        {held && (
          <Banner tone="warning" title="This order is held for your decision">
            <BlockStack gap="200">
              <p>
                {holdSummary(link.holdReason)} If nobody accepts it before the marketplace's deadline, {connection.name} refuses it automatically (a lost sale that counts against your
                seller rating).
              </p>
              {connection.partialAcceptance && lines.length > 1 && <LineDecisionForm lines={lines} busy={busy("lines")} onSubmit={(accept) => decide({ accept })} />}
            </BlockStack>
          </Banner>
        )}
        {link.beforeConnector && (
          <Banner tone="info" title={link.beforeConnector}>
            <p>
              {`This order was already ${miraklStateLabel(link.miraklState).toLowerCase()} on ${connection.name} when Mirakl Connector first read it, so it was handled elsewhere (another tool or the Mirakl back office). It was not imported into Shopify and needs nothing from you here.`}
            </p>
          </Banner>
        )}
        {link.errorNotice && (
          <Banner tone={link.errorNotice.tone} title={link.errorNotice.title}>
            <p>{link.errorNotice.body}</p>
          </Banner>
        )}
        {snapshotUnreadable && (
          <Banner tone="warning">
            <p>The order as Mirakl last sent it could not be read: lines are not shown.</p>
          </Banner>
        )}
        <Card padding="0">
          <Box padding="400">
            <Text as="h2" variant="headingMd">
              Lines, as Mirakl sent them
            </Text>
            <Text as="p" tone="subdued">
              {order?.taxMode === "TAX_EXCLUDED" ? "Prices exclude tax; taxes are added as Mirakl computed them." : "Prices include tax, as Mirakl computed it."}
            </Text>
          </Box>
          <div data-testid="order-lines">
            {/* Four columns whose text wraps (Wrap): at 1280 px nothing scrolls sideways or is cut off. */}
            <DataTable
              columnContentTypes={["text", "numeric", "text", "text"]}
              headings={["Line and mapping", "Price", "Shipping and taxes", "State and decision"]}
              rows={lines.map((l) => [
                <Wrap key={l.id} width="16rem">
                  <BlockStack gap="050">
                    <Text as="span" fontWeight="semibold">
                      {l.offerSku}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {l.title}
                    </Text>
                    {l.mapped ? (
                      <Text as="span" variant="bodySm">
                        {l.mapping}
                      </Text>
                    ) : (
                      <PolarisLink url={`/app/skus?connection=${connection.id}&q=${encodeURIComponent(l.offerSku)}`}>{`${l.mapping}: map it`}</PolarisLink>
                    )}
                  </BlockStack>
                </Wrap>,
                <BlockStack key={`${l.id}-price`} gap="050" inlineAlign="end">
                  <Text as="span">{l.price}</Text>
                  <Text as="span" variant="bodySm" tone="subdued">{`${l.quantity} × ${l.unitPrice}`}</Text>
                </BlockStack>,
                <Wrap key={`${l.id}-tax`} width="14rem">
                  <BlockStack gap="050">
                    <Text as="span">{`Shipping ${l.shipping}`}</Text>
                    {l.taxes.length === 0 ? (
                      <Text as="span" variant="bodySm" tone="subdued">
                        No tax
                      </Text>
                    ) : (
                      <TaxList taxes={l.taxes} />
                    )}
                    {l.shippingTaxes.length > 0 && <TaxList taxes={l.shippingTaxes} prefix="Shipping " />}
                  </BlockStack>
                </Wrap>,
                <Wrap key={`${l.id}-state`} width="16rem">
                  <BlockStack gap="050">
                    <Text as="span">{l.state}</Text>
                    <Text as="span" variant="bodySm" tone="subdued" breakWord>
                      {l.decision}
                    </Text>
                  </BlockStack>
                </Wrap>,
              ])}
              totals={order ? ["", formatMoney(order.price, link.currency), `Shipping ${formatMoney(order.shippingPrice, link.currency)}`, `Total ${formatMoney(order.totalPrice ?? link.totalPrice, link.currency)}`] : undefined}
              showTotalsInFooter
            />
          </div>
          {link.commissionTotal && (
            <Box padding="400">
              <Text as="p" tone="subdued">{`Marketplace commission: ${formatMoney(link.commissionTotal, link.currency)}`}</Text>
            </Box>
          )}
        </Card>
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Status
                  </Text>
                  <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                    <Fact
                      label="Mirakl state"
                      value={
                        <BlockStack gap="050">
                          <span data-testid="mirakl-state">{status.mirakl}</span>
                          {status.miraklNote && (
                            <Text as="span" variant="bodySm" tone="subdued">
                              {status.miraklNote}
                            </Text>
                          )}
                        </BlockStack>
                      }
                    />
                    <Fact
                      label="Acceptance"
                      value={
                        <InlineStack gap="200" blockAlign="center">
                          <AcceptanceBadge status={link.acceptanceStatus} />
                          {acceptanceCountdownApplies(link) && link.acceptanceDeadline && <Countdown deadline={link.acceptanceDeadline} serverNow={now} warnBelowMinutes={connection.acceptanceEscalationMinutes} />}
                        </InlineStack>
                      }
                    />
                    <Fact label="Acceptance deadline" value={formatDateTime(link.acceptanceDeadline, timeZone)} />
                    <Fact label="Accepted" value={formatDateTime(link.acceptedAt, timeZone)} />
                    <Fact
                      label="Import"
                      value={
                        <InlineStack gap="200" blockAlign="center">
                          <span data-testid="import-status">
                            <ImportBadge status={status.importStatus} />
                          </span>
                          {status.importStatus !== null && link.importAttempts > 1 && <Text as="span" tone="subdued">{`${link.importAttempts} attempts`}</Text>}
                        </InlineStack>
                      }
                    />
                    <Fact
                      label="Shopify order"
                      value={
                        link.shopifyOrderName ? (
                          <InlineStack gap="200" blockAlign="center">
                            {link.shopifyUrl ? (
                              <PolarisLink url={link.shopifyUrl} target="_blank">
                                {link.shopifyOrderName}
                              </PolarisLink>
                            ) : (
                              <Text as="span">{link.shopifyOrderName}</Text>
                            )}
                            {link.shopifyState && link.shopifyState !== "OPEN" && <Badge tone="warning">{link.shopifyState.toLowerCase().replace(/_/g, " ")}</Badge>}
                          </InlineStack>
                        ) : (
                          status.noShopifyOrder
                        )
                      }
                    />
                    <Fact label="Shipping deadline" value={formatDateTime(link.shippingDeadline, timeZone)} />
                    <Fact label="Fulfilment" value={fulfilmentStatusLabel(link.fulfilmentStatus)} />
                    <Fact label="Created on Mirakl" value={formatDateTime(link.miraklCreatedAt, timeZone)} />
                    <Fact label="Last Mirakl update" value={formatDateTime(link.miraklLastUpdated, timeZone)} />
                  </InlineGrid>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Open tasks
                  </Text>
                  {tasks.length === 0 ? (
                    <Text as="p" tone="subdued">
                      Nothing needs you for this order.
                    </Text>
                  ) : (
                    tasks.map((t) => (
                      <div key={t.id} data-testid="order-task">
                        <BlockStack gap="100">
                          <InlineStack gap="200" blockAlign="center">
                            <Badge tone={t.severity === "critical" ? "critical" : t.severity === "warning" ? "warning" : "info"}>{t.severity === "critical" ? "Urgent" : t.severity === "warning" ? "To do" : "For information"}</Badge>
                            <Text as="span" fontWeight="semibold">
                              {t.title}
                            </Text>
                          </InlineStack>
                          <Text as="p" variant="bodySm">
                            {t.body}
                          </Text>
                          {t.dueAt && <Countdown deadline={t.dueAt} serverNow={now} warnBelowMinutes={connection.acceptanceEscalationMinutes} />}
                          {t.actionUrl && (
                            <span>
                              <Button url={t.actionUrl} size="slim">
                                {t.actionLabel ?? "Open"}
                              </Button>
                            </span>
                          )}
                        </BlockStack>
                      </div>
                    ))
                  )}
                </BlockStack>
              </Card>
              {refunds.length > 0 && (
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      Refunds
                    </Text>
                    {refunds.map((r) => (
                      <InlineStack key={r.id} gap="200" blockAlign="center" wrap>
                        <PolarisLink url={r.url}>{`Refund of ${formatMoney(r.shopifyAmount, link.currency)}`}</PolarisLink>
                        <RefundStatusBadge status={r.status} label={r.statusLabel} />
                        <Text as="span" variant="bodySm" tone="subdued">
                          {formatDateTime(r.createdAt, timeZone)}
                        </Text>
                      </InlineStack>
                    ))}
                  </BlockStack>
                </Card>
              )}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Timeline
                  </Text>
                  <Timeline items={events} empty="No events recorded for this order yet." timeZone={timeZone} />
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

/** A table cell whose text wraps within a fixed width instead of widening the table (DataTable cells do not wrap). */
function Wrap({ width, children }: { width: string; children: ReactNode }) {
  return <div style={{ whiteSpace: "normal", minWidth: "8rem", maxWidth: width }}>{children}</div>;
}

/** Partial acceptance (only where the marketplace allows it): tick the lines to accept, the others are refused. */
function LineDecisionForm({
  lines,
  busy,
  onSubmit,
}: {
  lines: Array<{ id: string; offerSku: string; quantity: number; title: string; proposeAccept: boolean; active: boolean }>;
  busy: boolean;
  onSubmit: (accept: string[]) => void;
}) {
  const [accept, setAccept] = useState<string[]>(lines.filter((l) => l.active && l.proposeAccept).map((l) => l.id));
  return (
    <BlockStack gap="100">
      <Text as="p" fontWeight="semibold">
        Or decide per line (this marketplace allows accepting part of an order):
      </Text>
      {lines
        .filter((l) => l.active)
        .map((l) => (
          <Checkbox
            key={l.id}
            label={`Accept ${l.quantity} × ${l.offerSku}${l.title ? ` (${l.title})` : ""}`}
            checked={accept.includes(l.id)}
            onChange={(checked) => setAccept((prev) => (checked ? [...prev, l.id] : prev.filter((x) => x !== l.id)))}
          />
        ))}
      <span>
        <Button loading={busy} onClick={() => onSubmit(accept)}>
          {`Send: accept ${accept.length}, refuse ${lines.filter((l) => l.active).length - accept.length}`}
        </Button>
      </span>
    </BlockStack>
  );
}

/** `CODE: summary` (the orders flow's form) as a sentence. */
function holdSummary(holdReason: string | null): string {
  if (!holdReason) return "Review the lines below.";
  const text = holdReason.replace(/^[A-Z_]+:\s*/, "").trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <div>{value}</div>
    </BlockStack>
  );
}
