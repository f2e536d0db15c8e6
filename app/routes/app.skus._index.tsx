import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Page, Select, Tabs, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { errorMessage } from "../lib/errors";
import { requestCatalogueSync } from "../jobs/catalogue-jobs.server";
import { ignoreSku, mapSku, resetSkuToAutomatic, setSafetyStockOverride, unmapSku, type MapSkuResult } from "../sync/catalogue/mapping.server";
import { catalogueSyncStatus, loadSkuScreen } from "../sync/catalogue/sku-screen.server";
import { SKU_FILTERS, type SkuFilter } from "../sync/catalogue/sku-filters";
import { skuSyncLine, skuTabCounts, skuTabLabel } from "../sync/catalogue/sku-summary";
import { Countdown } from "../components/countdown";
import { useFormatDateTime } from "../components/time-zone";
import { ListFooter, ListSearch, useListParams } from "../components/list-controls";
import { SkuCsvCard } from "../components/sku-csv-card";
import { SkuMappingEditor, type EditorResult } from "../components/sku-mapping-editor";

const querySchema = z.object({
  connection: z.string().uuid().optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  status: z.enum(SKU_FILTERS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const connections = await s.prisma.marketplaceConnection.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, acceptanceEscalationMinutes: true, paused: true } });
  const connection = connections.find((c) => c.id === query.connection) ?? connections[0] ?? null;
  if (!connection) return { connections, connection: null, screen: null, sync: null, filter: "all" as SkuFilter, q: "", now: new Date().toISOString() };
  const filter = query.status ?? "all";
  const q = query.q ?? "";
  const [screen, sync] = await Promise.all([
    loadSkuScreen({ services: s, shop, connectionId: connection.id, q, filter, page: query.page ?? 1 }),
    catalogueSyncStatus({ services: s, connectionId: connection.id }),
  ]);
  return { connections, connection, screen, sync, filter, q, now: new Date().toISOString() };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sync"), connection: z.string().uuid() }),
  z.object({
    intent: z.literal("map"),
    connection: z.string().uuid(),
    offerSku: z.string().min(1),
    variantId: z.string().optional(),
    sku: z.string().optional(),
    safetyStockOverride: z.string().regex(/^\d{0,6}$/, "A whole number of units, or empty").optional(),
  }),
  z.object({ intent: z.enum(["unmap", "ignore", "auto"]), connection: z.string().uuid(), offerSku: z.string().min(1) }),
]);

export const action = async ({ request }: ActionFunctionArgs): Promise<EditorResult> => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "invalid", error: parsed.error.issues.map((i) => i.message).join("; ") };
  const input = parsed.data;
  const base = { services: s, shop, connectionId: input.connection };
  try {
    switch (input.intent) {
      case "sync": {
        const r = await requestCatalogueSync({ services: s, shop, connectionId: input.connection });
        return { intent: "sync", ok: r.queued ? "Offer sync queued: it runs in the background; this page shows the result when it is done." : "An offer sync is already queued or running." };
      }
      case "map": {
        const r = await mapSku({ ...base, offerSku: input.offerSku, variantId: input.variantId || undefined, sku: input.variantId ? undefined : input.sku });
        const msg = describeMap(r, input.offerSku);
        if (msg.error) return { intent: "map", offerSku: input.offerSku, ...msg };
        if (input.safetyStockOverride !== undefined) {
          await setSafetyStockOverride({ ...base, offerSku: input.offerSku, value: input.safetyStockOverride === "" ? null : Number(input.safetyStockOverride) });
        }
        return { intent: "map", offerSku: input.offerSku, ...msg };
      }
      case "unmap":
      case "ignore": {
        const r = input.intent === "unmap" ? await unmapSku({ ...base, offerSku: input.offerSku }) : await ignoreSku({ ...base, offerSku: input.offerSku });
        if (r.kind === "unknown_offer") return { intent: input.intent, offerSku: input.offerSku, error: `There is no offer ${input.offerSku} on this marketplace any more.` };
        return { intent: input.intent, offerSku: input.offerSku, ok: input.intent === "unmap" ? `${input.offerSku} is no longer mapped.` : `${input.offerSku} is ignored: no stock is sent for it.` };
      }
      case "auto": {
        const r = await resetSkuToAutomatic({ ...base, offerSku: input.offerSku });
        if (r.kind === "unknown_offer") return { intent: "auto", offerSku: input.offerSku, error: `There is no offer ${input.offerSku} on this marketplace any more.` };
        return { intent: "auto", offerSku: input.offerSku, ok: r.kind === "mapped" ? `${input.offerSku} matched automatically to ${r.mapping.shopifySku ?? ""}.` : `${input.offerSku} is back to automatic matching (${r.mapping.matchStatus.toLowerCase()}).` };
      }
    }
  } catch (err) {
    return { intent: input.intent, offerSku: "offerSku" in input ? input.offerSku : undefined, error: `That did not work: ${errorMessage(err)}` };
  }
};

function describeMap(r: MapSkuResult, offerSku: string): Pick<EditorResult, "ok" | "error" | "candidates"> {
  switch (r.kind) {
    case "mapped": {
      const released = r.effects.released > 0 ? ` ${r.effects.released} held ${r.effects.released === 1 ? "order was" : "orders were"} released.` : "";
      const failed = r.effects.releaseErrors.length > 0 ? ` Held orders could not be released yet (they will be retried): ${r.effects.releaseErrors.join("; ")}` : "";
      return { ok: `${offerSku} mapped to ${r.mapping.shopifySku ?? "(no SKU)"} (${r.mapping.productTitle ?? ""}).${released}${failed}` };
    }
    case "unchanged":
      return { ok: `${offerSku} was already mapped to that variant.` };
    case "unknown_offer":
      return { error: `There is no offer ${offerSku} on this marketplace any more.` };
    case "variant_not_found":
      return { error: "That Shopify variant no longer exists: pick another one." };
    case "unknown_sku":
      return { error: r.sku ? `No Shopify variant has SKU ${r.sku}. Check the SKU in Shopify (Products → variant → SKU), or search by product name.` : "Type a Shopify SKU or pick a variant." };
    case "ambiguous_sku":
      return { error: `${r.candidates.length} Shopify variants have SKU ${r.sku}: choose one below.`, candidates: r.candidates };
  }
}

const FILTER_LABEL: Record<SkuFilter, string> = {
  all: "All",
  needs_mapping: "Needs mapping",
  holding_orders: "Holding orders",
  matched: "Matched",
  ignored: "Ignored",
};

const STATUS_BADGE: Record<string, { tone: "success" | "critical" | "warning" | undefined; label: string }> = {
  MATCHED: { tone: "success", label: "Matched" },
  UNMATCHED: { tone: "critical", label: "Unmatched" },
  AMBIGUOUS: { tone: "warning", label: "Ambiguous" },
  IGNORED: { tone: undefined, label: "Ignored" },
};

const SOURCE_LABEL: Record<string, string> = { AUTO: "by SKU", MANUAL: "by hand", CSV: "by CSV" };

export default function SkuMapping() {
  const formatDateTime = useFormatDateTime();
  const { connections, connection, screen, sync, filter, q, now } = useLoaderData<typeof loader>();
  const [, setParam] = useListParams();
  const navigate = useNavigate();
  const syncFetcher = useFetcher<EditorResult>();
  const [editing, setEditing] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  if (!connection || !screen || !sync) {
    return (
      <Page title="SKU mapping">
        <Card>
          <EmptyState heading="Connect a marketplace first" action={{ content: "Connect a marketplace", url: "/app/connections/new" }} image="">
            <p>Offers are read from each Mirakl marketplace you connect and matched to your Shopify variants by SKU.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const c = screen.counts;
  const tabCounts = skuTabCounts(c);
  const selectedTab = SKU_FILTERS.indexOf(filter);
  const syncing = sync.pending || syncFetcher.state !== "idle";

  return (
    <Page
      title="SKU mapping"
      subtitle={`Each ${connection.name} offer and the Shopify variant whose stock and orders it uses.`}
      primaryAction={{ content: "Sync offers now", loading: syncFetcher.state !== "idle", onAction: () => syncFetcher.submit({ intent: "sync", connection: connection.id }, { method: "post" }) }}
    >
      <BlockStack gap="400">
        {connections.length > 1 && (
          <Card>
            <Select
              label="Marketplace"
              options={connections.map((x) => ({ label: x.name, value: x.id }))}
              value={connection.id}
              onChange={(v) => navigate(`/app/skus?connection=${v}`)}
            />
          </Card>
        )}
        {flash && (
          <Banner tone="success" onDismiss={() => setFlash(null)}>
            <p>{flash}</p>
          </Banner>
        )}
        {syncFetcher.data?.ok && <Banner tone="info">{syncFetcher.data.ok}</Banner>}
        {syncFetcher.data?.error && <Banner tone="critical">{syncFetcher.data.error}</Banner>}
        {connection.paused && (
          <Banner tone="warning" title={`Sync is paused for ${connection.name}`}>
            <p>
              Offers are not read and stock is not sent while the marketplace is paused. Mappings you change here are kept and apply once you <Link to={`/app/connections/${connection.id}`}>resume it</Link>.
            </p>
          </Banner>
        )}
        {sync.lastFailedAt && (!sync.lastSyncedAt || sync.lastFailedAt > sync.lastSyncedAt) && (
          <Banner tone="critical" title="The last offer sync failed">
            <p>{sync.lastFailure}</p>
          </Banner>
        )}
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="300" blockAlign="center" wrap>
              <Badge tone="success">{`${c.matched} matched`}</Badge>
              <Badge tone={c.unmatched > 0 ? "critical" : undefined}>{`${c.unmatched} unmatched`}</Badge>
              <Badge tone={c.ambiguous > 0 ? "warning" : undefined}>{`${c.ambiguous} ambiguous`}</Badge>
              <Badge>{`${c.ignored} ignored`}</Badge>
              {c.holdingOrders > 0 && <Badge tone="attention">{`${c.holdingOrders} ${c.holdingOrders === 1 ? "SKU is" : "SKUs are"} holding orders`}</Badge>}
            </InlineStack>
            <Text as="p" tone="subdued">
              {skuSyncLine(sync, connection.name, formatDateTime)}
              {syncing ? " A sync is queued or running…" : ""}
            </Text>
          </BlockStack>
        </Card>

        <SkuCsvCard connectionId={connection.id} connectionName={connection.name} />

        <Card padding="0">
          <Tabs
            tabs={SKU_FILTERS.map((f) => ({ id: f, content: skuTabLabel(FILTER_LABEL[f], tabCounts[f]) }))}
            selected={selectedTab < 0 ? 0 : selectedTab}
            onSelect={(i) => setParam({ status: SKU_FILTERS[i] === "all" ? null : (SKU_FILTERS[i] ?? null) })}
          />
          <Box padding="300">
            <ListSearch initial={q} label="Search" labelHidden placeholder="Search offer SKU, title or Shopify SKU" minWidth="320px" onSearch={(value) => setParam({ q: value })} clearable />
          </Box>
          {screen.rows.length === 0 ? (
            <Box padding="400">
              <Text as="p" tone="subdued">
                {screen.counts.total === 0 ? "No offers yet: use “Sync offers now” to read them from the marketplace." : "No offers match this filter."}
              </Text>
            </Box>
          ) : (
            <div data-testid="sku-rows">
              {screen.rows.map((r) => {
                const badge = STATUS_BADGE[r.matchStatus] ?? { tone: undefined, label: r.matchStatus };
                const notListed = sync.lastSyncStartedAt && r.offerSeenAt && r.offerSeenAt < sync.lastSyncStartedAt;
                return (
                  <div key={r.id} data-testid="sku-row" data-sku={r.offerSku} data-status={r.matchStatus} style={{ borderTop: "1px solid var(--p-color-border-secondary)", padding: "12px 16px" }}>
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="start" wrap={false} gap="400">
                        <Box width="30%">
                          <BlockStack gap="050">
                            <Text as="span" fontWeight="semibold">
                              {r.offerSku}
                            </Text>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {r.offerTitle ?? "—"}
                              {r.offerQuantity !== null ? ` · ${r.offerQuantity} on the marketplace` : ""}
                              {notListed ? " · no longer listed" : ""}
                            </Text>
                          </BlockStack>
                        </Box>
                        <Box width="14%">
                          <BlockStack gap="050">
                            <span>
                              <Badge tone={badge.tone}>{badge.label}</Badge>
                            </span>
                            {r.matchStatus !== "UNMATCHED" && (
                              <Text as="span" variant="bodySm" tone="subdued">
                                {SOURCE_LABEL[r.source] ?? r.source}
                              </Text>
                            )}
                          </BlockStack>
                        </Box>
                        <Box width="30%">
                          {r.matchStatus === "MATCHED" ? (
                            <BlockStack gap="050">
                              <Text as="span">{r.shopifySku ?? "(no SKU)"}</Text>
                              <Text as="span" variant="bodySm" tone="subdued">
                                {r.productTitle ?? ""}
                                {r.tracked ? "" : " · inventory not tracked (offered as 0)"}
                              </Text>
                            </BlockStack>
                          ) : (
                            <Text as="span" tone="subdued">
                              {r.matchStatus === "AMBIGUOUS" ? "Several variants share this SKU" : r.matchStatus === "IGNORED" ? "Not linked (ignored)" : "No Shopify variant"}
                            </Text>
                          )}
                          {r.safetyStockOverride !== null && (
                            <Text as="p" variant="bodySm">
                              Safety stock: {r.safetyStockOverride}
                            </Text>
                          )}
                        </Box>
                        <InlineStack gap="200" wrap={false}>
                          <Button onClick={() => setEditing(editing === r.offerSku ? null : r.offerSku)} accessibilityLabel={`Edit mapping of ${r.offerSku}`}>
                            {r.matchStatus === "MATCHED" ? "Edit" : "Map"}
                          </Button>
                        </InlineStack>
                      </InlineStack>
                      {(r.heldOrders.length > 0 || r.tasks.length > 0) && (
                        <Box paddingInlineStart="200">
                          <BlockStack gap="100">
                            {r.heldOrders.length > 0 && (
                              <InlineStack gap="200" blockAlign="center" wrap>
                                <Text as="span" variant="bodySm" fontWeight="semibold">
                                  {`Mapping releases ${r.heldOrders.length} held ${r.heldOrders.length === 1 ? "order" : "orders"}:`}
                                </Text>
                                {r.heldOrders.slice(0, 10).map((o) => (
                                  <InlineStack key={o.id} gap="100" blockAlign="center">
                                    <Link to={`/app/orders/${o.id}`}>{o.miraklOrderId}</Link>
                                    {o.acceptanceDeadline && <Countdown deadline={o.acceptanceDeadline} serverNow={now} warnBelowMinutes={connection.acceptanceEscalationMinutes} />}
                                  </InlineStack>
                                ))}
                                {r.heldOrders.length > 10 && <Text as="span" variant="bodySm">{`and ${r.heldOrders.length - 10} more`}</Text>}
                              </InlineStack>
                            )}
                            {r.tasks.map((t) => (
                              <Text key={t.id} as="p" variant="bodySm" tone="caution">
                                Open task: {t.title}
                              </Text>
                            ))}
                          </BlockStack>
                        </Box>
                      )}
                      {editing === r.offerSku && (
                        <SkuMappingEditor
                          row={r}
                          connectionId={connection.id}
                          onDone={(message) => {
                            setEditing(null);
                            if (message) setFlash(message);
                          }}
                        />
                      )}
                    </BlockStack>
                  </div>
                );
              })}
            </div>
          )}
          <ListFooter total={screen.total} noun="offer" page={screen.page} pageCount={screen.pageCount} onPage={(page) => setParam({ page })} />
        </Card>
      </BlockStack>
    </Page>
  );
}
