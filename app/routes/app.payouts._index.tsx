import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, Card, EmptyState, IndexTable, Page, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { formatMoney } from "../components/format";
import { useFormatDateTime } from "../components/time-zone";
import { listPayouts, requestPayoutRefresh } from "../sync/payouts/views.server";
import { PayoutStateBadge } from "../components/payout-state-badge";

const querySchema = z.object({
  connection: z.string().uuid().optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listPayouts({
    services: services(),
    shop,
    connectionId: q.connection ?? null,
  });
};

const actionSchema = z.object({
  intent: z.literal("refresh"),
  connectionId: z.string().uuid(),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: "Choose a marketplace to refresh." };
  return requestPayoutRefresh({ services: services(), shop, connectionId: parsed.data.connectionId });
};

export default function Payouts() {
  const formatDateTime = useFormatDateTime();
  const { connections, selected, payouts, sync } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [, setParams] = useSearchParams();
  const nav = useNavigation();
  const submit = useSubmit();
  if (!selected) {
    return (
      <Page title="Payouts">
        <Card>
          <EmptyState
            heading="Connect a marketplace first"
            image=""
            action={{
              content: "Connect a marketplace",
              url: "/app/connections/new",
            }}
          >
            <p>Each Mirakl payout appears here with the Shopify orders it pays for, once a marketplace is connected.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return (
    <Page
      title="Payouts"
      subtitle="What each marketplace paid you, matched to your Shopify orders."
      primaryAction={{
        content: "Refresh",
        loading: nav.state !== "idle" && nav.formData?.get("intent") === "refresh",
        onAction: () => submit({ intent: "refresh", connectionId: selected.id }, { method: "post" }),
      }}
    >
      {result && "ok" in result ? <Banner tone="info">{result.ok}</Banner> : null}
      {result && "error" in result ? <Banner tone="critical">{result.error}</Banner> : null}
      {sync?.lastError ? (
        <Banner tone="warning" title="The last payout refresh failed">
          {sync.lastError}. It is retried automatically; what was already read is kept.
        </Banner>
      ) : null}
      <Card padding="0">
        {connections.length > 1 ? (
          <div style={{ padding: "12px 16px" }}>
            <Select label="Marketplace" options={connections.map((c) => ({ label: c.name, value: c.id }))} value={selected.id} onChange={(v) => setParams({ connection: v })} />
          </div>
        ) : null}
        {payouts.length === 0 ? (
          <EmptyState heading={`No ${selected.name} payouts yet`} image="">
            <p>
              When {selected.name} closes a billing cycle, its payout appears here with the orders it pays for, commission, refunds and fees. Payouts are read every day
              {sync?.lastSuccessAt ? ` (last read ${formatDateTime(sync.lastSuccessAt)})` : ""}; use Refresh to read them now.
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "payout", plural: "payouts" }}
            itemCount={payouts.length}
            selectable={false}
            headings={[
              { title: "Date" },
              { title: "Payout" },
              { title: "Amount", alignment: "end" },
              { title: "State" },
              { title: "Orders", alignment: "end" },
              { title: "Flags" },
            ]}
          >
            {payouts.map((p, i) => (
              <IndexTable.Row id={p.id} key={p.id} position={i}>
                <IndexTable.Cell>{formatDateTime(p.date)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Link to={`/app/payouts/${p.id}`} data-testid="payout-link">
                    <Text as="span" fontWeight="semibold">
                      {p.label}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatMoney(p.paid, p.currency)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <PayoutStateBadge state={p.state} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {p.complete ? p.orderCount : "…"}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {!p.complete ? (
                    <Badge tone="info">Reading transactions</Badge>
                  ) : p.flagCount > 0 ? (
                    <Badge tone="warning">{`${p.flagCount} to check`}</Badge>
                  ) : (
                    <Badge tone="success">Matched</Badge>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
