import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Tabs, Text } from "@shopify/polaris";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { formatMoney } from "../components/format";
import { useFormatDateTime } from "../components/time-zone";
import { listRefundRequests } from "../sync/adjustments/refund-views.server";
import { REFUND_FILTERS } from "../sync/adjustments/refund-filters";

const querySchema = z.object({
  status: z.enum(REFUND_FILTERS).catch("open"),
  order: z.string().uuid().optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listRefundRequests({ services: services(), shop, filter: q.status, orderLinkId: q.order ?? null });
  return { rows, filter: q.status, order: q.order ?? null };
};

const TAB_LABELS: Record<(typeof REFUND_FILTERS)[number], string> = { open: "To do", sent: "Sent", portal: "Done in the Mirakl portal", all: "All" };

export default function Refunds() {
  const formatDateTime = useFormatDateTime();
  const { rows, filter, order } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const selected = REFUND_FILTERS.indexOf(filter);
  return (
    <Page title="Refunds" subtitle="Shopify refunds that Mirakl must hear about, and Mirakl refunds recorded in Shopify.">
      <Card padding="0">
        <Tabs
          tabs={REFUND_FILTERS.map((f) => ({ id: f, content: TAB_LABELS[f] }))}
          selected={selected}
          onSelect={(i) => setParams({ status: REFUND_FILTERS[i] ?? "open", ...(order ? { order } : {}) })}
        />
        {rows.length === 0 ? (
          <EmptyState heading={filter === "open" ? "No refund waiting for Mirakl" : "No refunds here"} image="">
            <p>When an imported marketplace order is refunded in Shopify, the matching Mirakl refund appears here for review.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "refund", plural: "refunds" }}
            itemCount={rows.length}
            selectable={false}
            headings={[{ title: "Order" }, { title: "Marketplace" }, { title: "Refunded in Shopify" }, { title: "Mirakl refund" }, { title: "Status" }, { title: "Created" }]}
          >
            {rows.map((r, i) => (
              <IndexTable.Row id={r.id} key={r.id} position={i}>
                <IndexTable.Cell>
                  <Link to={`/app/refunds/${r.id}`} data-testid="refund-link">
                    <Text as="span" fontWeight="semibold">
                      {r.orderName ?? "—"}
                    </Text>
                  </Link>{" "}
                  <Link to={`/app/orders/${r.orderLinkId}`} data-testid="refund-order-link">
                    <Text as="span" tone="subdued" variant="bodySm">
                      {r.miraklOrderId}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.marketplace ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{r.origin === "MIRAKL_PORTAL" ? <Badge>Made on Mirakl</Badge> : formatMoney(r.shopifyAmount, r.currency)}</IndexTable.Cell>
                <IndexTable.Cell>{r.miraklAmount > 0 ? formatMoney(r.miraklAmount, r.currency) : "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={r.statusTone}>{r.statusLabel}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{formatDateTime(r.createdAt)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
