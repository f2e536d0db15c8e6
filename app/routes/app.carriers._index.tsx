import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, DataTable, EmptyState, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { loadCarrierScreen, saveCarrierMapping } from "../sync/fulfilment/carrier-mappings.server";
import { carrierKey } from "../sync/fulfilment/carrier-match";
import { AddCarrierMapping, CarrierMappingRow } from "../components/carrier-mapping-row";
import { useFormatDateTime } from "../components/time-zone";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const connectionId = new URL(request.url).searchParams.get("connection");
  return loadCarrierScreen({ services: services(), shop, connectionId });
};

const actionSchema = z.object({ intent: z.literal("save"), new: z.string().optional() }).passthrough();

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) return { key: "", fieldErrors: { form: "Unknown action" } };
  const key = parsed.data.new ? "__new__" : carrierKey(String(form.shopifyCarrierName ?? ""));
  const r = await saveCarrierMapping({ services: services(), shop, input: form });
  if (r.kind === "invalid") return { key, fieldErrors: r.fieldErrors };
  const target = r.useUnregistered ? "an unlisted carrier" : r.label;
  return {
    key,
    ok: r.released > 0 ? `Saved: ${r.released === 1 ? "the held shipment is" : `${r.released} held shipments are`} being sent as ${target}.` : `Saved: sent as ${target} from now on.`,
  };
};

export default function Carriers() {
  const formatDateTime = useFormatDateTime();
  const { connections, connection, carriers, rows } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  if (!connection) {
    return (
      <Page title="Carrier mapping">
        <Card>
          <EmptyState heading="Connect a marketplace first" image="" action={{ content: "Connect a marketplace", url: "/app/connections/new" }}>
            <p>Each marketplace has its own list of carriers; once one is connected you map your tracking companies to it here.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const held = rows.reduce((n, r) => n + r.held.length, 0);
  const toMap = rows.filter((r) => r.status === "NEEDS_CARRIER" || r.status === "INVALID_CODE" || r.status === "UNLISTED_FORBIDDEN").length;
  return (
    <Page
      title="Carrier mapping"
      subtitle="Marketplaces only accept their own carrier codes: tell us which of them each tracking company in Shopify is."
      titleMetadata={held > 0 ? <Badge tone="critical">{`${held} held`}</Badge> : undefined}
    >
      <BlockStack gap="400">
        {connections.length > 1 && (
          <Card>
            <Select
              label="Marketplace"
              options={connections.map((c) => ({ label: c.name, value: c.id }))}
              value={connection.id}
              onChange={(id) => navigate(`/app/carriers?connection=${encodeURIComponent(id)}`)}
            />
          </Card>
        )}
        {held > 0 && (
          <Banner tone="critical" title={`${held === 1 ? "1 shipment is" : `${held} shipments are`} waiting for a carrier`}>
            <p>
              Their tracking has not reached {connection.name}, so they count as not dispatched. Choose the carrier below: every held shipment for it goes out as soon as you save.
            </p>
          </Banner>
        )}
        <Banner tone="info">
          <p>
            {connection.allowUnregisteredCarrier
              ? `${connection.name} also accepts carriers outside its list, sent by name with the tracking link: choose "Send as an unlisted carrier" for those.`
              : `${connection.name} accepts only carriers from its own list: every tracking company must be mapped to one of them.`}
            {connection.multiShipment ? ` Each fulfilment is sent to ${connection.name} as its own shipment.` : ` ${connection.name} confirms whole orders: partial fulfilments send their tracking at once and confirm the order when the last one ships.`}
          </p>
        </Banner>
        <Layout>
          <Layout.Section>
            <Card padding="0">
              <div style={{ padding: "16px" }}>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Tracking companies seen in Shopify
                  </Text>
                  {toMap > 0 && <Badge tone="critical">{`${toMap} to map`}</Badge>}
                </InlineStack>
                <Text as="p" tone="subdued">
                  Every carrier name your team, your warehouse app or Shopify Shipping put on a fulfilment for {connection.name}. Exact matches are mapped automatically.
                </Text>
              </div>
              {rows.length === 0 ? (
                <div style={{ padding: "0 16px 16px" }}>
                  <Text as="p">No fulfilment has reached {connection.name} yet. Tracking companies appear here as orders ship.</Text>
                </div>
              ) : (
                rows.map((row) => (
                  <CarrierMappingRow key={row.key} row={row} connectionId={connection.id} carriers={carriers} allowUnregistered={connection.allowUnregisteredCarrier} marketplace={connection.name} />
                ))
              )}
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Map a tracking company in advance
                </Text>
                <AddCarrierMapping connectionId={connection.id} carriers={carriers} allowUnregistered={connection.allowUnregisteredCarrier} />
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {`${connection.name}'s carriers`}
                </Text>
                <Text as="p" tone="subdued">
                  The carriers {connection.name} accepts, as it listed them {formatDateTime(connection.settingsRefreshedAt)}; the list is refreshed daily. Refresh it now from the{" "}
                  <Link to={`/app/connections/${connection.id}`}>marketplace settings</Link>.
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text"]}
                  // The marketplace's own code stays (it is what the fulfilment carries on Mirakl), named as such; its
                  // internal "standard code" (ROYAL_MAIL, HERMES…) tells the merchant nothing and is left out.
                  headings={[`Code on ${connection.name}`, "Carrier", "Tracking link"]}
                  rows={carriers.map((c) => [c.code, c.label, c.trackingUrl ?? "—"])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
