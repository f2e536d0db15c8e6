import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { downloadFromApp } from "../components/download-file";
import { formatMoney, plural } from "../components/format";
import { useFormatDateTime } from "../components/time-zone";
import { shopifyAdminOrderUrl } from "../components/order-status";
import { PayoutStateBadge } from "../components/payout-state-badge";
import { CATEGORIES, CATEGORY_LABELS, type PayoutFlag } from "../sync/payouts/matching";
import { payoutLabel } from "../sync/payouts/sync.server";
import { requestPayoutRefresh, requirePayoutDetail } from "../sync/payouts/views.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { payout, connection, report } = await requirePayoutDetail({ services: services(), shop, id: params.id });
  return {
    payout: {
      id: payout.id,
      label: payoutLabel(payout),
      date: payout.cycleCreatedAt?.toISOString() ?? null,
      paidAt: payout.paidAt?.toISOString() ?? null,
      state: payout.payOutState,
      failureReason: payout.failureReason,
      currency: payout.currency,
      complete: payout.linesStatus === "COMPLETE",
      lineCount: payout.lineCount,
      connectionId: connection.id,
    },
    marketplace: connection.name,
    report: {
      ...report,
      orders: report.orders.map((o) => ({
        ...o,
        adminUrl: shopifyAdminOrderUrl(shop, o.shopifyOrderId),
      })),
    },
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const payout = await s.prisma.payout.findFirst({ where: { id: String(params.id), shop } });
  if (!payout) return { error: "This payout does not exist." };
  return requestPayoutRefresh({ services: s, shop, connectionId: payout.connectionId });
};

const cents = (value: number, currency: string | null) => formatMoney(value / 100, currency);

function FlagBanner({ flag, currency }: { flag: PayoutFlag; currency: string | null }) {
  switch (flag.kind) {
    case "unmatched_order":
      return (
        <Banner tone="warning" title={`Order ${flag.miraklOrderId} has no Shopify order`}>
          {cents(flag.netCents, currency)} in this payout is for a Mirakl order{" "}
          {flag.reason === "not_imported"
            ? "that was never created in Shopify (held or failed import)."
            : "this app never imported (placed before the marketplace was connected, or handled elsewhere)."}{" "}
          {flag.orderLinkId ? <Link to={`/app/orders/${flag.orderLinkId}`}>Open the order</Link> : null}
        </Banner>
      );
    case "commission_not_recovered":
      return (
        <Banner tone="critical" title={`Commission not recovered: ${flag.shopifyOrderName ?? flag.miraklOrderId}`}>
          {flag.shopifyAmountCents === null ? "A refund" : cents(flag.shopifyAmountCents, currency)} was refunded in Shopify on {flag.refundedAt.slice(0, 10)}, but Mirakl has no
          refund for this order, so it kept its commission ({cents(flag.commissionChargedCents, currency)} charged).{" "}
          <Link to={`/app/refunds/${flag.refundRequestId}`}>Send the refund to Mirakl</Link>
        </Banner>
      );
    case "total_mismatch":
      return (
        <Banner tone="warning" title="This payout does not add up">
          The payout amount is {cents(flag.paidCents, currency)}; its transactions add up to {cents(flag.linesCents, currency)}. Difference: {cents(flag.differenceCents, currency)}.
        </Banner>
      );
  }
}

export default function PayoutDetail() {
  const formatDateTime = useFormatDateTime();
  const { payout, marketplace, report } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const cur = payout.currency;
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const downloadCsv = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await downloadFromApp(`/app/payouts/${payout.id}/csv`, "payout.csv");
    } catch (err) {
      setDownloadError(`The CSV could not be downloaded: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setDownloading(false);
    }
  };
  const totalsRows = [
    ...CATEGORIES.filter((c) => report.totals[c] !== 0 || c === "orders" || c === "commission").map((c) => [CATEGORY_LABELS[c], cents(report.totals[c], cur)]),
    [
      <Text as="span" fontWeight="semibold" key="l">
        Transactions total
      </Text>,
      <Text as="span" fontWeight="semibold" key="v">
        {cents(report.linesCents, cur)}
      </Text>,
    ],
    // Mirakl's payout amount: paid only once the state says so ("To be paid" until then).
    ["Payout amount", cents(report.paidCents, cur)],
    ["Difference", report.complete ? cents(report.differenceCents, cur) : "still reading transactions"],
  ];
  return (
    <Page
      backAction={{
        content: "Payouts",
        url: `/app/payouts?connection=${payout.connectionId}`,
      }}
      title={`Payout ${payout.label}`}
      subtitle={`${marketplace} · billing cycle closed ${formatDateTime(payout.date)}${payout.paidAt ? ` · paid ${formatDateTime(payout.paidAt)}` : ""}`}
      titleMetadata={<PayoutStateBadge state={payout.state} />}
      primaryAction={{
        content: "Download CSV",
        loading: downloading,
        onAction: () => void downloadCsv(),
      }}
      secondaryActions={[
        {
          content: "Refresh",
          loading: nav.state !== "idle",
          onAction: () => submit({ intent: "refresh" }, { method: "post" }),
        },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && "ok" in result ? <Banner tone="info">{result.ok}</Banner> : null}
            {result && "error" in result ? <Banner tone="critical">{result.error}</Banner> : null}
            {downloadError ? <Banner tone="critical">{downloadError}</Banner> : null}
            {!payout.complete ? (
              <Banner tone="info" title="Still reading this payout's transactions">
                Mirakl lets us read 60 pages of transactions an hour; the rest is read at the next run. Totals below are partial until then.
              </Banner>
            ) : null}
            {payout.failureReason ? (
              <Banner tone="critical" title="Mirakl could not pay this out">
                {payout.failureReason}
              </Banner>
            ) : null}
            <div data-testid="payout-flags">
              <BlockStack gap="200">
                {report.flags.map((f, i) => (
                  <FlagBanner key={i} flag={f} currency={cur} />
                ))}
              </BlockStack>
            </div>
            {payout.complete && report.flags.length === 0 ? (
              <Banner tone="success">Every order in this payout matches a Shopify order and the transactions add up to the payout amount.</Banner>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingSm">
                  Totals
                </Text>
                <Text as="span" tone="subdued">
                  {plural(payout.lineCount, "transaction")}
                </Text>
              </InlineStack>
              <div data-testid="payout-totals">
                <DataTable columnContentTypes={["text", "numeric"]} headings={[]} rows={totalsRows} />
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {report.orders.length === 0 ? (
              <EmptyState heading="No orders in this payout" image="">
                <p>{payout.complete ? "This payout only holds fees or adjustments." : "Orders appear here as soon as this payout's transactions are read from Mirakl."}</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "order", plural: "orders" }}
                itemCount={report.orders.length}
                selectable={false}
                headings={[
                  { title: "Mirakl order" },
                  { title: "Shopify order" },
                  { title: "Gross", alignment: "end" },
                  { title: "Commission", alignment: "end" },
                  { title: "Refunds", alignment: "end" },
                  { title: "Commission refunded", alignment: "end" },
                  { title: "Net", alignment: "end" },
                ]}
              >
                {report.orders.map((o, i) => (
                  <IndexTable.Row id={o.miraklOrderId} key={o.miraklOrderId} position={i}>
                    <IndexTable.Cell>
                      <span data-order={o.miraklOrderId}>{o.orderLinkId ? <Link to={`/app/orders/${o.orderLinkId}`}>{o.miraklOrderId}</Link> : o.miraklOrderId}</span>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {o.adminUrl ? (
                        <a href={o.adminUrl} target="_top" rel="noreferrer">
                          {o.shopifyOrderName ?? "Open in Shopify"}
                        </a>
                      ) : (
                        <Text as="span" tone="critical">
                          Not in Shopify
                        </Text>
                      )}
                    </IndexTable.Cell>
                    {[o.gross, o.commission, o.refunds, o.commissionRefunded, o.net].map((v, k) => (
                      <IndexTable.Cell key={k}>
                        <Text as="span" alignment="end" numeric>
                          {cents(v, cur)}
                        </Text>
                      </IndexTable.Cell>
                    ))}
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
