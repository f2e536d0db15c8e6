import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { useFormatDateTime } from "../components/time-zone";
import { needsAttentionText, nextAutoRefusalText } from "../components/overview-view";
import { needsAttentionUrl } from "../sync/orders/order-filters";
import { marketplaceOrderCounts } from "../sync/overview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const [connections, tasks] = await Promise.all([
    s.prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, paused: true, pausedReason: true, lastOrderPollAt: true, lastStockPushAt: true } }),
    s.prisma.task.groupBy({ by: ["severity"], where: { shop, status: "OPEN" }, _count: { _all: true } }),
  ]);
  const counts = await marketplaceOrderCounts(s.prisma, shop, connections.map((c) => c.id));
  const now = new Date();
  return {
    shop,
    tasks: Object.fromEntries(tasks.map((t) => [t.severity, t._count._all])) as Record<string, number>,
    connections: connections.map((c) => {
      const n = counts.get(c.id);
      return {
        ...c,
        imported: n?.imported ?? 0,
        onTheirWay: n?.onTheirWay ?? 0,
        needsAttention: n?.needsAttention ?? 0,
        needsAttentionUrl: needsAttentionUrl(c.id),
        nextAutoRefusal: nextAutoRefusalText(n?.nextAutoRefusalAt ?? null, now),
      };
    }),
  };
};

export default function Overview() {
  const formatDateTime = useFormatDateTime();
  const { connections, tasks } = useLoaderData<typeof loader>();
  const urgent = tasks.critical ?? 0;
  const toReview = (tasks.warning ?? 0) + (tasks.info ?? 0);
  return (
    <Page title="Mirakl Connector">
      <Layout>
        <Layout.Section>
          <Card>
            <InlineStack align="space-between" blockAlign="center">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Needs attention
                </Text>
                <Text as="p" tone="subdued">
                  Everything that needs a person becomes a task: held orders, unmapped SKUs and carriers, refunds to send.
                </Text>
              </BlockStack>
              <InlineStack gap="200">
                <Badge tone={urgent ? "critical" : "success"}>{urgent ? `${urgent} urgent` : "Nothing urgent"}</Badge>
                <Badge tone={toReview ? "warning" : "success"}>{toReview ? `${toReview} to review` : "Nothing to review"}</Badge>
                <Link to="/app/tasks">Open tasks</Link>
              </InlineStack>
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          {connections.length === 0 ? (
            <Card>
              <EmptyState heading="Connect a Mirakl marketplace to start" action={{ content: "Connect a marketplace", url: "/app/connections/new" }} image="">
                <p>Orders are accepted on Mirakl at once and land here to ship with your other channels; your Shopify stock, less a safety buffer, is what each marketplace may sell.</p>
              </EmptyState>
            </Card>
          ) : (
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              {connections.map((c) => (
                <Card key={c.id}>
                  <div data-testid="marketplace-card">
                    <BlockStack gap="200">
                      <InlineStack align="space-between">
                        <Link to={`/app/connections/${c.id}`}>
                          <Text as="h3" variant="headingMd">
                            {c.name}
                          </Text>
                        </Link>
                        {c.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}
                      </InlineStack>
                      {c.paused && c.pausedReason && (
                        <Text as="p" tone="caution">
                          {c.pausedReason}.
                        </Text>
                      )}
                      <Text as="p">
                        {c.imported} imported · {c.onTheirWay} on their way ·{" "}
                        {c.needsAttention > 0 ? (
                          <Link to={c.needsAttentionUrl} data-testid="needs-attention-link">
                            {needsAttentionText(c.needsAttention)}
                          </Link>
                        ) : (
                          "nothing needs attention"
                        )}
                      </Text>
                      {c.nextAutoRefusal && (
                        <Text as="p" tone="critical" fontWeight="semibold">
                          <span data-testid="next-auto-refusal">{c.nextAutoRefusal}</span>
                        </Text>
                      )}
                      <Text as="p" tone="subdued">
                        Orders checked {c.lastOrderPollAt ? formatDateTime(c.lastOrderPollAt) : "not yet"} · stock sent {c.lastStockPushAt ? formatDateTime(c.lastStockPushAt) : "not yet"}
                      </Text>
                    </BlockStack>
                  </div>
                </Card>
              ))}
            </InlineGrid>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
