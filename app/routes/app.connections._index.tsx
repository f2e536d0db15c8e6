import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { connectionView } from "../sync/connections.server";
import { useFormatDateTime } from "../components/time-zone";
import { acceptanceLabel } from "../sync/connection-view";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const rows = await s.prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
  const openTasks = await s.prisma.task.groupBy({ by: ["connectionId"], where: { shop, status: "OPEN" }, _count: { _all: true } });
  const taskCount = new Map(openTasks.map((t) => [t.connectionId, t._count._all]));
  return { connections: rows.map((c) => ({ ...connectionView(c), openTasks: taskCount.get(c.id) ?? 0 })) };
};

export default function Connections() {
  const formatDateTime = useFormatDateTime();
  const { connections } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page title="Marketplaces" subtitle="Each Mirakl marketplace you sell on, with its own API key and rules." primaryAction={{ content: "Connect a marketplace", url: "/app/connections/new" }}>
      <Card padding="0">
        {connections.length === 0 ? (
          <EmptyState heading="Connect your first Mirakl marketplace" action={{ content: "Connect a marketplace", url: "/app/connections/new" }} image="">
            <p>You need the marketplace's Mirakl address and an API key from its seller back office (user menu → API key).</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "marketplace", plural: "marketplaces" }}
            itemCount={connections.length}
            selectable={false}
            headings={[{ title: "Marketplace" }, { title: "Mirakl shop" }, { title: "API key" }, { title: "Status" }, { title: "Acceptance" }, { title: "Last order check" }, { title: "Open tasks" }]}
          >
            {connections.map((c, index) => (
              <IndexTable.Row id={c.id} key={c.id} position={index} onClick={() => navigate(`/app/connections/${c.id}`)}>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span" variant="bodyMd" fontWeight="semibold">
                      {c.name}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {c.baseUrl}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{c.miraklShopName ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" variant="bodySm">
                    {c.apiKeyMasked}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{c.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}</IndexTable.Cell>
                <IndexTable.Cell>{acceptanceLabel(c)}</IndexTable.Cell>
                <IndexTable.Cell>{c.lastOrderPollAt ? formatDateTime(c.lastOrderPollAt) : "Not yet"}</IndexTable.Cell>
                <IndexTable.Cell>{c.openTasks > 0 ? <Badge tone="attention">{String(c.openTasks)}</Badge> : "0"}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
