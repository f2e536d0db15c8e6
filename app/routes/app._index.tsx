import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { formatDateTime } from "../components/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const [connections, tasks, orders] = await Promise.all([
    s.prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, paused: true, lastOrderPollAt: true, lastStockPushAt: true } }),
    s.prisma.task.groupBy({ by: ["severity"], where: { shop, status: "OPEN" }, _count: { _all: true } }),
    s.prisma.orderLink.groupBy({ by: ["connectionId", "importStatus"], where: { shop }, _count: { _all: true } }),
  ]);
  const ordersBy = (connectionId: string, status: string) => orders.find((o) => o.connectionId === connectionId && o.importStatus === status)?._count._all ?? 0;
  return {
    shop,
    tasks: Object.fromEntries(tasks.map((t) => [t.severity, t._count._all])) as Record<string, number>,
    connections: connections.map((c) => ({
      ...c,
      imported: ordersBy(c.id, "IMPORTED"),
      waiting: ordersBy(c.id, "WAITING") + ordersBy(c.id, "READY") + ordersBy(c.id, "IMPORTING"),
      held: ordersBy(c.id, "HELD") + ordersBy(c.id, "FAILED"),
    })),
  };
};

export default function Overview() {
  const { connections, tasks } = useLoaderData<typeof loader>();
  const critical = tasks.critical ?? 0;
  const warning = tasks.warning ?? 0;
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
                <Badge tone={critical ? "critical" : "success"}>{`${critical} urgent`}</Badge>
                <Badge tone={warning ? "warning" : "success"}>{`${warning} to review`}</Badge>
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
                  <BlockStack gap="200">
                    <InlineStack align="space-between">
                      <Link to={`/app/connections/${c.id}`}>
                        <Text as="h3" variant="headingMd">
                          {c.name}
                        </Text>
                      </Link>
                      {c.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}
                    </InlineStack>
                    <Text as="p">
                      {c.imported} imported · {c.waiting} on their way · {c.held} held
                    </Text>
                    <Text as="p" tone="subdued">
                      Orders checked {formatDateTime(c.lastOrderPollAt)} · stock pushed {formatDateTime(c.lastStockPushAt)}
                    </Text>
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
