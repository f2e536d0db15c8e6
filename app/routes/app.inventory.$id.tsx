import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { errorMessage } from "../lib/errors";
import { logger } from "../lib/logger";
import { connectionOr404 } from "../lib/not-found.server";
import { getConnection, setConnectionPaused } from "../sync/connections.server";
import { loadStockDetail } from "../sync/inventory/health.server";
import { inventoryPushJob, inventoryReconcileJob } from "../jobs/inventory-jobs.server";
import { listLocations } from "../shopify";
import { formatRelative, plural } from "../components/format";
import { useFormatDateTime } from "../components/time-zone";
import { StockComputation } from "../components/stock-computation";
import { PauseSyncModal } from "../components/pause-sync-modal";
import { reconciliationView, stockFileLabel } from "../sync/inventory/reconcile-view";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const connection = await connectionOr404(s.prisma, shop, params.id);
  const now = s.now();
  const detail = await loadStockDetail({ prisma: s.prisma, connection, now });
  let locationNames: Record<string, string> = {};
  try {
    const client = await s.shopifyAdmin(shop);
    locationNames = Object.fromEntries((await listLocations({ client })).map((l) => [l.id, l.name]));
  } catch (err) {
    // Names are a nicety: the ids still identify the locations. Logged so a broken Shopify session is still visible.
    logger.warn("could not read Shopify location names for the stock page", { shop, connectionId: connection.id, error: errorMessage(err) });
  }
  return {
    connection: {
      id: connection.id,
      name: connection.name,
      paused: connection.paused,
      pausedReason: connection.pausedReason,
      acceptanceWindowMinutes: connection.acceptanceWindowMinutes,
      marketplaceAutoAccepts: connection.marketplaceAutoAccepts,
      safetyStockMode: connection.safetyStockMode,
      safetyStockValue: connection.safetyStockValue,
      locationIds: connection.locationIds,
      reconcileIntervalMinutes: connection.reconcileIntervalMinutes,
      lastStockPushAt: connection.lastStockPushAt,
    },
    detail,
    locationNames,
    now: now.toISOString(),
  };
};

const actionSchema = z.object({ intent: z.enum(["reconcile", "pause", "resume"]) });
type ActionData = { ok?: string; error?: string };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionData> => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const id = String(params.id);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: "Unknown action" };
  const connection = await getConnection({ services: s, shop, id });
  switch (parsed.data.intent) {
    case "reconcile": {
      const jobId = await s.jobs.enqueue(inventoryReconcileJob, { shop, connectionId: connection.id, trigger: "manual" });
      return { ok: jobId ? "Reconciliation started: this page updates as it goes." : "A reconciliation is already queued for this marketplace." };
    }
    case "pause":
      await setConnectionPaused({ services: s, shop, id: connection.id, paused: true });
      return { ok: `All sync paused for ${connection.name}: no orders are accepted or imported, and no stock or tracking is sent.` };
    case "resume":
      await setConnectionPaused({ services: s, shop, id: connection.id, paused: false });
      // What waited during the pause goes out now rather than at the next scheduler tick.
      await s.jobs.enqueue(inventoryPushJob, { shop, connectionId: connection.id });
      return { ok: "Sync resumed: waiting changes go out now." };
  }
};

const STATE_LABEL = { waiting: "Correction queued", sent: "Correction sent", retrying: "Retrying later", found: "Found" } as const;

export default function MarketplaceInventory() {
  const formatDateTime = useFormatDateTime();
  const { connection: c, detail, locationNames, now } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const h = detail.health;
  const busy = (intent: string) => nav.state !== "idle" && nav.formData?.get("intent") === intent;
  const post = (intent: string) => submit({ intent }, { method: "post" });
  const [confirmPause, setConfirmPause] = useState(false);
  // While something is on its way (a reconciliation, a file at Mirakl, changes waiting), keep the page current.
  const working = h.runningRun || h.inFlight > 0 || (h.pending > 0 && !c.paused);
  useEffect(() => {
    if (!working) return;
    const t = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3_000);
    return () => clearInterval(t);
  }, [working, revalidator]);
  const nowDate = new Date(now);
  const reconcile = reconciliationView(h.lastRun, { reconcileIntervalMinutes: c.reconcileIntervalMinutes, paused: c.paused, hasLocations: c.locationIds.length > 0 }, formatDateTime);
  const locationName = (id: string) => locationNames[id] ?? `Location ${id.split("/").pop()}`;
  const rule =
    c.safetyStockMode === "PERCENT"
      ? `${c.safetyStockValue}% of available held back (rounded up)`
      : c.safetyStockMode === "HOLD_BACK_LAST"
        ? `0 once only ${c.safetyStockValue} or fewer remain`
        : `${c.safetyStockValue} unit${c.safetyStockValue === 1 ? "" : "s"} held back`;

  return (
    <Page
      title={`${c.name} stock`}
      titleMetadata={c.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}
      backAction={{ content: "Inventory", url: "/app/inventory" }}
      primaryAction={{ content: "Reconcile now", loading: busy("reconcile") || h.runningRun, onAction: () => post("reconcile") }}
      secondaryActions={[
        {
          // Pausing stops orders and tracking too, not only stock: the label and the confirmation say so.
          content: c.paused ? "Resume sync" : `Pause all sync for ${c.name}`,
          destructive: !c.paused,
          loading: busy("pause") || busy("resume"),
          onAction: () => (c.paused ? post("resume") : setConfirmPause(true)),
        },
      ]}
    >
      <PauseSyncModal open={confirmPause && !c.paused} connection={c} onConfirm={() => post("pause")} onClose={() => setConfirmPause(false)} />
      <BlockStack gap="400">
        {data?.ok && <Banner tone="success" title={data.ok} />}
        {data?.error && <Banner tone="critical" title={data.error} />}
        {c.paused && (
          <Banner tone="warning" title={`All sync is paused for ${c.name}`} action={{ content: "Marketplace settings", url: `/app/connections/${c.id}` }}>
            <p>
              {c.pausedReason ?? "Paused"}. Nothing is sent to {c.name} until you resume: no stock, no tracking, and no orders are accepted or imported. Stock changes made meanwhile are recorded and
              go out when you resume.
            </p>
          </Banner>
        )}
        {h.openTasks > 0 && (
          <Banner tone="critical" title={`${h.openTasks} stock problem${h.openTasks === 1 ? "" : "s"} need you`} action={{ content: "Open tasks", url: "/app/tasks" }}>
            <p>Offers the marketplace refused, or stock files that do not go through.</p>
          </Banner>
        )}
        <Layout>
          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Health
                </Text>
                <InlineGrid columns={2} gap="300">
                  <Fact label="Last stock accepted by the marketplace" value={h.lastSuccessfulPush?.completedAt ? `${formatDateTime(h.lastSuccessfulPush.completedAt)} (${plural(h.lastSuccessfulPush.lineCount, "offer")})` : "Not yet"} />
                  <Fact label="Last file sent" value={c.lastStockPushAt ? formatDateTime(c.lastStockPushAt) : "Not yet"} />
                  <Fact label="Changes waiting to be sent" value={h.pending > 0 ? `${h.pending} (oldest waiting ${waitedFor(h.oldestPendingSince ?? now, nowDate)})` : "None"} />
                  <Fact label="Files the marketplace is processing" value={String(h.inFlight)} />
                  <Fact label="Refused, retried later" value={String(h.retrying)} />
                  <Fact label="Mapped but not on the marketplace" value={String(h.notOnMirakl)} />
                </InlineGrid>
                <Text as="p" variant="bodySm" tone="subdued">
                  Rule: available at {c.locationIds.length === 0 ? "no location (offers get 0)" : c.locationIds.map(locationName).join(" + ")}, {rule}. At most one stock file a minute, as Mirakl allows.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Last reconciliation
                </Text>
                {reconcile.kind === "facts" ? (
                  <InlineGrid columns={2} gap="300">
                    {reconcile.facts.map((f) => (
                      <Fact key={f.label} label={f.label} value={f.value} help={f.help} />
                    ))}
                  </InlineGrid>
                ) : (
                  <BlockStack gap="100">
                    <Text as="p" fontWeight="semibold">
                      {reconcile.heading}
                    </Text>
                    <Text as="p">{reconcile.body}</Text>
                    {reconcile.hint && (
                      <Text as="p" tone="subdued">
                        {reconcile.hint}
                      </Text>
                    )}
                  </BlockStack>
                )}
                {h.lastRun?.error && (
                  <Banner tone="critical" title="The last reconciliation failed">
                    <p>{h.lastRun.error}</p>
                  </Banner>
                )}
                <Text as="p" variant="bodySm" tone="subdued">
                  Every {c.reconcileIntervalMinutes} minutes we compare every offer with Shopify and correct what differs.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>

        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between">
              <Text as="h2" variant="headingMd">
                Offers where {c.name} differs from Shopify
              </Text>
              {h.drifted > detail.driftRows.length && <Text as="span" tone="subdued">{`Showing ${detail.driftRows.length} of ${h.drifted}`}</Text>}
            </InlineStack>
            {detail.driftRows.length === 0 ? (
              <Text as="p" tone="subdued">
                No differences: every offer shows what it should.
              </Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
                headings={["Offer SKU", "How it should be computed", `${c.name} shows`, "Difference", "Status"]}
                rows={detail.driftRows.map((r) => [
                  r.offerSku,
                  <StockComputation key={r.offerSku} levels={r.levels.map((l) => ({ name: locationName(l.locationId), available: l.available }))} total={r.total} buffer={r.buffer} expected={r.expected} reason={r.reason} />,
                  r.miraklQty === null ? "—" : String(r.miraklQty),
                  `${r.drift > 0 ? "+" : ""}${r.drift}`,
                  <Badge key={`${r.offerSku}-state`} tone={r.state === "found" ? "attention" : "info"}>
                    {c.paused && r.state === "waiting" ? "Waits for resume" : STATE_LABEL[r.state]}
                  </Badge>,
                ])}
              />
            )}
          </BlockStack>
        </Card>

        {detail.refusedRows.length > 0 && (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Offers {c.name} did not accept
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Offer SKU", "What Mirakl said", "Next attempt"]}
                rows={detail.refusedRows.map((r) => [r.offerSku, r.message, r.retryAt ? formatRelative(r.retryAt, nowDate) : "With the next change"])}
              />
            </BlockStack>
          </Card>
        )}

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Recent stock files
            </Text>
            {detail.imports.length === 0 ? (
              <Text as="p" tone="subdued">
                Nothing sent yet.
              </Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "numeric", "text", "numeric", "text"]}
                headings={["Sent", "Offers", "Status", "Refused", "Stock file"]}
                rows={detail.imports.map((i) => [formatDateTime(i.submittedAt), String(i.lineCount), <ImportStatus key={i.id} status={i.status} report={i.errorReport} />, i.linesInError === null ? "—" : String(i.linesInError), stockFileLabel(i)])}
              />
            )}
          </BlockStack>
        </Card>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </Page>
  );
}

/** "12 s", "3 min", "2 h 5 min": how long a change has been waiting. */
function waitedFor(since: string | Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - new Date(since).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function ImportStatus({ status, report }: { status: string; report: string | null }) {
  const tone = status === "COMPLETE" ? (report ? "warning" : "success") : status === "FAILED" ? "critical" : "info";
  const label = { COMPLETE: "Applied", FAILED: "Failed", WAITING: "Queued at Mirakl", RUNNING: "Processing", SUBMITTING: "Sending" }[status] ?? status;
  return (
    <BlockStack gap="100">
      <Badge tone={tone}>{label}</Badge>
      {report && (
        <Text as="span" variant="bodySm" tone="subdued">
          <span style={{ whiteSpace: "pre-line" }}>{report.split("\n").slice(0, 3).join("\n")}</span>
        </Text>
      )}
    </BlockStack>
  );
}

function Fact({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span">{value}</Text>
      {help && (
        <Text as="span" tone="subdued" variant="bodySm">
          {help}
        </Text>
      )}
    </BlockStack>
  );
}
