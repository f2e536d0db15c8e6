import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Prisma } from "@prisma/client";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, IndexTable, InlineStack, Link as PolarisLink, Page, Select, Tabs, Text } from "@shopify/polaris";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { Countdown } from "../components/countdown";
import { formatMoney } from "../components/format";
import { ListFooter, ListSearch, useListParams } from "../components/list-controls";
import { AcceptanceBadge, ImportBadge, acceptanceCountdownApplies, shopifyAdminOrderUrl } from "../components/order-status";
import { handledBeforeConnector } from "../sync/orders/link-transitions";
import { DECIDED_ACCEPTED, orderStatusView } from "../sync/orders/order-views";
import { openTaskCounts } from "../sync/orders/order-views.server";
import { useFormatDateTime } from "../components/time-zone";
import { ENDED_MIRAKL_STATES, needsAttentionWhere } from "../sync/orders/order-filters";

const ORDER_FILTERS = ["all", "needs_attention", "waiting_acceptance", "waiting_import", "imported", "cancelled", "handled_elsewhere"] as const;
type OrderFilter = (typeof ORDER_FILTERS)[number];
const PAGE_SIZE = 50;

const FILTER_LABEL: Record<OrderFilter, string> = {
  all: "All",
  needs_attention: "Needs attention",
  waiting_acceptance: "Waiting acceptance",
  waiting_import: "Waiting import",
  imported: "Imported",
  cancelled: "Cancelled",
  handled_elsewhere: "Handled elsewhere",
};

const ENDED = ENDED_MIRAKL_STATES;
/** Mirakl states before the order is accepted on Mirakl's side. */
const WAITING_ON_MIRAKL = ["STAGING", "WAITING_ACCEPTANCE"];

/** What each tab means, in terms of the OrderLink states the orders flow maintains. */
function filterWhere(filter: OrderFilter): Prisma.OrderLinkWhereInput {
  switch (filter) {
    case "needs_attention":
      // Shared with the Overview's count, so the number there and this list agree.
      return needsAttentionWhere;
    case "waiting_acceptance":
      // Still ours to decide while Mirakl waits. Once we accept or refuse, Mirakl keeps reporting "waiting
      // acceptance" until it moves the order on (order-views.ts: "Accepted — waiting for Mirakl to confirm").
      return { miraklState: { in: WAITING_ON_MIRAKL }, acceptanceStatus: { notIn: [...DECIDED_ACCEPTED, "REFUSED"] } };
    case "waiting_import":
      // Accepted orders Mirakl has not confirmed yet are on their way to Shopify too.
      return {
        importStatus: { in: ["WAITING", "READY", "IMPORTING"] },
        OR: [{ miraklState: { notIn: [...WAITING_ON_MIRAKL, ...ENDED] } }, { miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: { in: DECIDED_ACCEPTED } }],
      };
    case "imported":
      return { importStatus: "IMPORTED", NOT: { shopifyState: "CANCELLED" } };
    case "cancelled":
      // Cancelled or refused on Mirakl (before or after the connector saw it), or cancelled in Shopify. Not every
      // order that was not imported: one shipped before the connector saw it was not cancelled.
      // A refusal Mirakl has not confirmed yet counts too, or it would be in no tab but "All".
      return { OR: [{ miraklState: { in: ENDED } }, { shopifyState: "CANCELLED" }, { acceptanceStatus: "REFUSED" }] };
    case "handled_elsewhere":
      // Orders already shipped (or closed) when the connector first saw them: handled by another tool or in the
      // back office, never imported (handledBeforeConnector, link-transitions.ts). Cancelled and refused ones are
      // in "Cancelled"; the only way a live order becomes NOT_IMPORTED without a Shopify order is that first sight.
      // A refusal Mirakl has not confirmed yet is NOT_IMPORTED too but belongs in "Cancelled".
      return { importStatus: "NOT_IMPORTED", shopifyOrderId: null, miraklState: { notIn: ENDED }, acceptanceStatus: { not: "REFUSED" } };
    default:
      return {};
  }
}

const querySchema = z.object({
  connection: z.string().uuid().optional().catch(undefined),
  status: z.enum(ORDER_FILTERS).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const connections = await s.prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, acceptanceEscalationMinutes: true } });
  const filter = query.status ?? "all";
  const q = (query.q ?? "").trim();
  const where: Prisma.OrderLinkWhereInput = {
    shop,
    ...(query.connection ? { connectionId: query.connection } : {}),
    AND: [
      filterWhere(filter),
      q ? { OR: [{ miraklOrderId: { contains: q, mode: "insensitive" } }, { miraklCommercialId: { contains: q, mode: "insensitive" } }, { shopifyOrderName: { contains: q, mode: "insensitive" } }] } : {},
    ],
  };
  const total = await s.prisma.orderLink.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pageCount);
  const links = await s.prisma.orderLink.findMany({
    where,
    orderBy: [{ miraklCreatedAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true,
      connectionId: true,
      miraklOrderId: true,
      miraklCommercialId: true,
      miraklState: true,
      miraklCreatedAt: true,
      acceptanceDeadline: true,
      acceptanceStatus: true,
      importStatus: true,
      holdReason: true,
      lastError: true,
      shopifyOrderId: true,
      shopifyOrderName: true,
      shopifyState: true,
      totalPrice: true,
      currency: true,
      // For the open-task count only (the SKUs an order waits for): not sent to the browser.
      acceptanceDecision: true,
      snapshot: true,
    },
  });
  const needsAttention = await s.prisma.orderLink.count({ where: { shop, ...(query.connection ? { connectionId: query.connection } : {}), ...filterWhere("needs_attention") } });
  // Every open task about each order (its refunds', fulfilments' and SKUs' too), as its page lists them.
  const taskCounts = await openTaskCounts(s.prisma, shop, links);
  const names = new Map(connections.map((c) => [c.id, c]));
  return {
    shop,
    connections: connections.map((c) => ({ id: c.id, name: c.name })),
    filter,
    q,
    page,
    pageCount,
    total,
    needsAttention,
    now: new Date().toISOString(),
    orders: links.map(({ acceptanceDecision: _decision, snapshot: _snapshot, ...l }) => {
      const beforeConnector = handledBeforeConnector(l);
      return {
        ...l,
        totalPrice: l.totalPrice === null ? null : l.totalPrice.toString(),
        marketplace: names.get(l.connectionId)?.name ?? "—",
        escalationMinutes: names.get(l.connectionId)?.acceptanceEscalationMinutes ?? 120,
        shopifyUrl: shopifyAdminOrderUrl(shop, l.shopifyOrderId),
        openTasks: taskCounts.get(l.id) ?? 0,
        beforeConnector,
        status: orderStatusView({ ...l, beforeConnector }),
      };
    }),
  };
};

export default function Orders() {
  const data = useLoaderData<typeof loader>();
  const formatDateTime = useFormatDateTime();
  const [params, set] = useListParams();
  const navigate = useNavigate();
  const selected = Math.max(0, ORDER_FILTERS.indexOf(data.filter));

  return (
    <Page title="Orders" subtitle="Every Mirakl order: accepted in time, imported into Shopify once, followed to the end.">
      <BlockStack gap="400">
        <Card padding="0">
          <Tabs
            tabs={ORDER_FILTERS.map((f) => ({
              id: f,
              content: FILTER_LABEL[f],
              badge: f === "needs_attention" && data.needsAttention > 0 ? String(data.needsAttention) : undefined,
            }))}
            selected={selected}
            onSelect={(i) => set({ status: ORDER_FILTERS[i] === "all" ? null : (ORDER_FILTERS[i] ?? null) })}
          />
          <Box padding="300">
            <InlineStack gap="300" blockAlign="end" wrap>
              {data.connections.length > 1 && (
                <Box minWidth="200px">
                  <Select
                    label="Marketplace"
                    options={[{ label: "All marketplaces", value: "" }, ...data.connections.map((c) => ({ label: c.name, value: c.id }))]}
                    value={params.get("connection") ?? ""}
                    onChange={(v) => set({ connection: v || null })}
                  />
                </Box>
              )}
              <ListSearch initial={data.q} label="Search orders" placeholder="Mirakl or Shopify order number" minWidth="280px" onSearch={(q) => set({ q })} />
            </InlineStack>
          </Box>
          {data.orders.length === 0 ? (
            <EmptyState heading={data.total === 0 && data.filter === "all" && !data.q ? "No Mirakl orders yet" : "No orders match"} image="">
              <p>{data.filter === "all" && !data.q ? "Orders appear here as soon as the marketplace sends them; each one is accepted and imported automatically." : "Try another filter or search."}</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "order", plural: "orders" }}
              itemCount={data.orders.length}
              selectable={false}
              // Seven columns at most (the marketplace goes under the order id), wrapping text: nothing cut off at 1280 px.
              headings={[{ title: "Mirakl order" }, { title: "Mirakl state" }, { title: "Acceptance" }, { title: "Import" }, { title: "Shopify order" }, { title: "Total", alignment: "end" }, { title: "Created" }]}
            >
              {data.orders.map((o, index) => (
                <IndexTable.Row id={o.id} key={o.id} position={index} onClick={() => navigate(`/app/orders/${o.id}`)}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <span data-testid="order-row" data-order={o.miraklOrderId}>
                        <Text as="span" fontWeight="semibold">
                          {o.miraklOrderId}
                        </Text>
                      </span>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {[data.connections.length > 1 ? o.marketplace : null, o.miraklCommercialId && !o.miraklOrderId.startsWith(o.miraklCommercialId) ? o.miraklCommercialId : null, o.openTasks > 0 ? `${o.openTasks} open ${o.openTasks === 1 ? "task" : "tasks"}` : null]
                          .filter(Boolean)
                          .join(" · ")}
                      </Text>
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", maxWidth: "12rem" }} data-testid="mirakl-state">
                      <BlockStack gap="050">
                        <Text as="span">{o.status.mirakl}</Text>
                        {o.status.miraklNote && (
                          <Text as="span" variant="bodySm" tone="subdued">
                            {o.status.miraklNote}
                          </Text>
                        )}
                      </BlockStack>
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="100">
                      <span>
                        {/* Cancelled before anyone decided: "awaiting acceptance" would suggest something is still to do. */}
                        {o.beforeConnector && o.acceptanceStatus === "PENDING" ? (
                          <Text as="span" tone="subdued">
                            —
                          </Text>
                        ) : (
                          <AcceptanceBadge status={o.acceptanceStatus} />
                        )}
                      </span>
                      {acceptanceCountdownApplies(o) && o.acceptanceDeadline && <Countdown deadline={o.acceptanceDeadline} serverNow={data.now} warnBelowMinutes={o.escalationMinutes} />}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <span data-testid="import-status">{o.beforeConnector ? <Badge>{o.beforeConnector}</Badge> : <ImportBadge status={o.status.importStatus} />}</span>
                      {o.shopifyState === "CANCELLED" && <Badge tone="critical">Cancelled in Shopify</Badge>}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {o.shopifyOrderName ? (
                      o.shopifyUrl ? (
                        <span onClick={(e) => e.stopPropagation()}>
                          <PolarisLink url={o.shopifyUrl} target="_blank">
                            {o.shopifyOrderName}
                          </PolarisLink>
                        </span>
                      ) : (
                        o.shopifyOrderName
                      )
                    ) : (
                      <Text as="span" tone="subdued">
                        —
                      </Text>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatMoney(o.totalPrice, o.currency)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", maxWidth: "7rem" }}>
                      <Text as="span" variant="bodySm">
                        {formatDateTime(o.miraklCreatedAt)}
                      </Text>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
          <ListFooter total={data.total} noun="order" page={data.page} pageCount={data.pageCount} onPage={(page) => set({ page })} />
        </Card>
      </BlockStack>
    </Page>
  );
}
