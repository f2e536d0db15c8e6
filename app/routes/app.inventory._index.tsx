import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { loadStockHealth } from "../sync/inventory/health.server";
import { useFormatDateTime } from "../components/time-zone";
import { runStatusLabel } from "../sync/inventory/reconcile-view";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const now = s.now();
  const connections = await s.prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
  const rows = [];
  for (const c of connections) {
    rows.push({ id: c.id, name: c.name, paused: c.paused, health: await loadStockHealth({ prisma: s.prisma, connection: c, now }) });
  }
  return { rows };
};

export default function Inventory() {
  const formatDateTime = useFormatDateTime();
  const { rows } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page title="Inventory" subtitle="Shopify stock, less your safety buffer, on every marketplace: what reached each one and where it differs.">
      <Card padding="0">
        {rows.length === 0 ? (
          <EmptyState heading="No marketplace connected yet" action={{ content: "Connect a marketplace", url: "/app/connections/new" }} image="">
            <p>Once a marketplace is connected and its offers are mapped to your variants, their stock is kept in step here.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "marketplace", plural: "marketplaces" }}
            itemCount={rows.length}
            selectable={false}
            headings={[{ title: "Marketplace" }, { title: "Stock sync" }, { title: "Last stock accepted" }, { title: "Waiting to be sent" }, { title: "Differences found" }, { title: "Last reconciliation" }, { title: "Open tasks" }]}
          >
            {rows.map((r, index) => (
              <IndexTable.Row id={r.id} key={r.id} position={index} onClick={() => navigate(`/app/inventory/${r.id}`)}>
                <IndexTable.Cell>
                  <Text as="span" variant="bodyMd" fontWeight="semibold">
                    {r.name}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}</IndexTable.Cell>
                <IndexTable.Cell>{r.health.lastSuccessfulPush?.completedAt ? formatDateTime(r.health.lastSuccessfulPush.completedAt) : "Not yet"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span">{String(r.health.pending)}</Text>
                    {r.health.oldestPendingSince && (
                      <Text as="span" variant="bodySm" tone="subdued">
                        oldest since {formatDateTime(r.health.oldestPendingSince)}
                      </Text>
                    )}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.health.drifted > 0 ? <Badge tone="attention">{String(r.health.drifted)}</Badge> : "0"}</IndexTable.Cell>
                <IndexTable.Cell>{r.health.lastRun ? `${formatDateTime(r.health.lastRun.startedAt)} (${runStatusLabel(r.health.lastRun.status)})` : "Not yet"}</IndexTable.Cell>
                <IndexTable.Cell>{r.health.openTasks > 0 ? <Badge tone="critical">{String(r.health.openTasks)}</Badge> : "0"}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
