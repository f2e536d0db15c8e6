import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, Checkbox, FormLayout, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { connectionOr404 } from "../lib/not-found.server";
import {
  connectionView,
  getConnection,
  refreshConnectionSettings,
  setConnectionPaused,
  testConnection,
  updateConnectionCredentials,
  updateConnectionSettings,
} from "../sync/connections.server";
import { decryptSecret } from "../lib/crypto.server";
import { errorMessage } from "../lib/errors";
import { listLocations } from "../shopify";
import { useFormatDateTime } from "../components/time-zone";
import { SafetyStockExample } from "../components/safety-stock-example";
import { SyncScheduleSection } from "../components/sync-schedule-section";
import { PauseSyncModal } from "../components/pause-sync-modal";
import { escalationProblem, reportedPartialRules } from "../sync/connection-view";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const connection = await connectionOr404(s.prisma, shop, params.id);
  let locations: { id: string; name: string }[] = [];
  let locationsError: string | null = null;
  try {
    const client = await s.shopifyAdmin(shop);
    locations = (await listLocations({ client })).filter((l) => l.isActive).map((l) => ({ id: l.id, name: l.name }));
  } catch (err) {
    locationsError = `Could not load your Shopify locations: ${errorMessage(err)}`;
  }
  const carriers = Array.isArray(connection.carriers) ? connection.carriers.length : 0;
  const reasons = Array.isArray(connection.reasons) ? connection.reasons.length : 0;
  const created = new URL(request.url).searchParams.get("created") === "1";
  // Only what Mirakl itself reported goes in the read-only facts; the rest is the merchant's declaration.
  const reported = reportedPartialRules(connection.platformConfig);
  return { connection: connectionView(connection), locations, locationsError, carriers, reasons, reported, created };
};

type ActionData = { ok?: string; error?: string; fieldErrors?: Record<string, string> };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionData> => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const id = String(params.id);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const fields = Object.fromEntries(form);
  switch (intent) {
    case "test": {
      const c = await getConnection({ services: s, shop, id });
      const r = await testConnection({ baseUrl: c.baseUrl, apiKey: decryptSecret(c.apiKeyEncrypted, s.env.ENCRYPTION_KEY), miraklShopId: c.miraklShopId ?? undefined });
      return r.kind === "ok" ? { ok: `Connected to ${r.shopName} (shop ${r.shopId}).` } : { error: r.message };
    }
    case "credentials": {
      const r = await updateConnectionCredentials({ services: s, shop, id, input: fields });
      if (r.kind === "updated") return { ok: "Connection details saved." };
      if (r.kind === "invalid") return { fieldErrors: r.fieldErrors };
      return { error: r.message };
    }
    case "settings": {
      const flag = (name: string) => (fields[name] === "true" ? "true" : "");
      const input = { ...fields, locationIds: form.getAll("locationIds").map(String), autoSendRefunds: flag("autoSendRefunds"), partialAcceptance: flag("partialAcceptance"), partialCancel: flag("partialCancel") };
      const r = await updateConnectionSettings({ services: s, shop, id, input });
      if (r.kind === "updated") return { ok: "Settings saved." };
      if (r.kind === "invalid") return { fieldErrors: r.fieldErrors };
      return { error: r.message };
    }
    case "refresh": {
      const c = await getConnection({ services: s, shop, id });
      try {
        await refreshConnectionSettings({ services: s, connection: c });
        return { ok: "Marketplace settings re-read from Mirakl." };
      } catch (err) {
        return { error: errorMessage(err) };
      }
    }
    case "pause":
    case "resume":
      await setConnectionPaused({ services: s, shop, id, paused: intent === "pause" });
      return { ok: intent === "pause" ? "All sync paused for this marketplace." : "Sync resumed." };
    default:
      return { error: "Unknown action" };
  }
};

const ACCEPTANCE_OPTIONS = [
  { label: "Accept automatically when every line can be filled", value: "ACCEPT_AUTOMATICALLY" },
  { label: "Accept what we can fill, refuse the rest (partial acceptance)", value: "REFUSE_FAILING" },
  { label: "Hold for review (a person decides before the deadline)", value: "HOLD_FOR_REVIEW" },
];
const CUSTOMER_OPTIONS = [
  { label: "Use Mirakl's masked notification e-mail (never opted in to marketing)", value: "NOTIFICATION_EMAIL" },
  { label: "One shared marketplace customer for all orders", value: "SHARED_CUSTOMER" },
  { label: "No customer on the order", value: "NO_CUSTOMER" },
];
const BUFFER_OPTIONS = [
  { label: "Fixed number of units", value: "FIXED" },
  { label: "Percentage of available stock", value: "PERCENT" },
  { label: "Hold back the last N units", value: "HOLD_BACK_LAST" },
];

export default function ConnectionPage() {
  const formatDateTime = useFormatDateTime();
  const { connection: c, locations, locationsError, carriers, reasons, reported, created } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  const busy = (intent: string) => nav.state !== "idle" && nav.formData?.get("intent") === intent;
  const errors = data?.fieldErrors ?? {};
  const [confirmPause, setConfirmPause] = useState(false);
  const [submittedWindowPair, setSubmittedWindowPair] = useState<string | null>(null);

  const [name, setName] = useState(c.name);
  const [baseUrl, setBaseUrl] = useState(c.baseUrl);
  const [apiKey, setApiKey] = useState("");
  const [shopId, setShopId] = useState(c.miraklShopId ?? "");
  const [settings, setSettings] = useState({
    acceptancePolicy: c.acceptancePolicy,
    acceptanceWindowMinutes: String(c.acceptanceWindowMinutes),
    acceptanceEscalationMinutes: String(c.acceptanceEscalationMinutes),
    customerPolicy: c.customerPolicy,
    sharedCustomerEmail: c.sharedCustomerEmail ?? "",
    pollIntervalSeconds: String(c.pollIntervalSeconds),
    backfillHours: String(c.backfillHours),
    stockPushIntervalSeconds: String(c.stockPushIntervalSeconds),
    reconcileIntervalMinutes: String(c.reconcileIntervalMinutes),
    safetyStockMode: c.safetyStockMode,
    safetyStockValue: String(c.safetyStockValue),
    unacknowledgedShipmentMinutes: String(c.unacknowledgedShipmentMinutes),
    autoSendRefunds: c.autoSendRefunds,
    partialAcceptance: c.partialAcceptance,
    partialCancel: c.partialCancel,
  });
  const [locationIds, setLocationIds] = useState<string[]>(c.locationIds);
  const set = (key: keyof typeof settings) => (value: string | boolean) => setSettings((prev) => ({ ...prev, [key]: value }));

  const post = (intent: string, extra: Record<string, string | string[]> = {}) => {
    const fd = new FormData();
    fd.set("intent", intent);
    for (const [k, v] of Object.entries(extra)) {
      if (Array.isArray(v)) v.forEach((x) => fd.append(k, x));
      else fd.set(k, v);
    }
    submit(fd, { method: "post" });
  };
  // The same rule the server applies, shown while typing so a 30-minute window with "120" is caught before saving;
  // the server's own message for the field only while the values are still the ones it refused.
  const windowPair = `${settings.acceptanceWindowMinutes}/${settings.acceptanceEscalationMinutes}`;
  const escalationError =
    escalationProblem(Number(settings.acceptanceWindowMinutes), Number(settings.acceptanceEscalationMinutes)) ??
    (submittedWindowPair === windowPair ? errors.acceptanceEscalationMinutes : undefined);
  const saveSettings = () => {
    setSubmittedWindowPair(`${settings.acceptanceWindowMinutes}/${settings.acceptanceEscalationMinutes}`);
    post("settings", {
      ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])),
      locationIds,
    });
  };

  return (
    <Page
      title={c.name}
      titleMetadata={c.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}
      subtitle={c.miraklShopName ? `Mirakl shop: ${c.miraklShopName}` : undefined}
      backAction={{ content: "Marketplaces", url: "/app/connections" }}
      primaryAction={{
        content: c.paused ? "Resume sync" : `Pause all sync for ${c.name}`,
        destructive: !c.paused,
        loading: busy("pause") || busy("resume"),
        onAction: () => (c.paused ? post("resume") : setConfirmPause(true)),
      }}
      secondaryActions={[{ content: "Test connection", loading: busy("test"), onAction: () => post("test") }]}
    >
      <PauseSyncModal open={confirmPause && !c.paused} connection={c} onConfirm={() => post("pause")} onClose={() => setConfirmPause(false)} />
      <BlockStack gap="400">
        {created && !data && (
          <Banner tone="success" title="Marketplace connected">
            <p>Now choose the Shopify locations whose stock this marketplace may sell, and how orders are accepted.</p>
          </Banner>
        )}
        {data?.ok && <Banner tone="success" title={data.ok} />}
        {data?.fieldErrors && (
          <Banner tone="critical" title="Nothing was saved">
            <p>Correct the fields marked in red below, then save again.</p>
          </Banner>
        )}
        {data?.error && (
          <Banner tone="critical" title="That did not work">
            <p>{data.error}</p>
          </Banner>
        )}
        {c.paused && (
          <Banner tone="warning" title={`All sync is paused for ${c.name}`}>
            <p>
              {c.pausedReason ?? "Paused"}. No orders are accepted or imported, and no stock or tracking is sent until you resume.
              {c.marketplaceAutoAccepts ? "" : ` ${c.name} may refuse orders nobody accepts within its acceptance window.`}
            </p>
          </Banner>
        )}
        {c.lastSettingsError && (
          <Banner tone="warning" title="Last settings refresh failed">
            <p>{c.lastSettingsError}</p>
          </Banner>
        )}
        <Layout>
          <Layout.AnnotatedSection title="Connection" description="Where the marketplace's Mirakl lives and the key we use. The key is stored encrypted; only its last four characters are ever shown.">
            <Card>
              <FormLayout>
                <TextField label="Marketplace name" value={name} onChange={setName} autoComplete="off" error={errors.name} />
                <TextField label="Mirakl address" value={baseUrl} onChange={setBaseUrl} autoComplete="off" error={errors.baseUrl} />
                <TextField label="API key" type="password" value={apiKey} onChange={setApiKey} autoComplete="off" placeholder={`Current key ${c.apiKeyMasked}: leave empty to keep it`} error={errors.apiKey} />
                <TextField label="Mirakl shop id" value={shopId} onChange={setShopId} autoComplete="off" error={errors.miraklShopId} />
                <ButtonGroup>
                  <Button loading={busy("credentials")} onClick={() => post("credentials", { name, baseUrl, apiKey, miraklShopId: shopId })}>
                    Save connection
                  </Button>
                </ButtonGroup>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="What this marketplace allows" description="Read from the marketplace's Mirakl settings when you connected and every day since. You cannot change these here.">
            <Card>
              <BlockStack gap="200">
                <InlineGrid columns={2} gap="200">
                  <Fact label="Order acceptance" value={c.marketplaceAutoAccepts ? "Automatic (the marketplace accepts)" : "By the seller"} />
                  {reported.partialAcceptance !== null && <Fact label="Partial acceptance" value={reported.partialAcceptance ? "Allowed" : "Not allowed"} />}
                  {reported.partialCancel !== null && <Fact label="Partial cancellation" value={reported.partialCancel ? "Allowed" : "Not allowed"} />}
                  <Fact label="Prices" value={c.orderTaxMode === "TAX_EXCLUDED" ? "Tax excluded" : "Tax included"} />
                  <Fact label="Multi-shipment" value={c.multiShipment ? "Yes" : "No"} />
                  <Fact label="Unlisted carriers" value={c.allowUnregisteredCarrier ? "Allowed (name + URL)" : "Not allowed"} />
                  <Fact label="Carriers" value={String(carriers)} />
                  <Fact label="Refund and cancel reasons" value={String(reasons)} />
                </InlineGrid>
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="span" tone="subdued">
                    Last read {formatDateTime(c.settingsRefreshedAt)}
                  </Text>
                  <Button loading={busy("refresh")} onClick={() => post("refresh")}>
                    Read again
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          {(reported.partialAcceptance === null || reported.partialCancel === null) && (
            <Layout.AnnotatedSection
              title="Your settings"
              description="Mirakl does not report these rules, so we ask you. Check the marketplace's seller terms (or ask its Mirakl support): a wrong answer makes Mirakl refuse what we send, and the order then needs a person."
            >
              <Card>
                <FormLayout>
                  {reported.partialAcceptance === null && (
                    <Checkbox
                      label="This marketplace allows partial acceptance (accept some lines, refuse others)"
                      helpText="Needed to accept what you can fill and refuse the rest. If unsure, leave it off: Mirakl refuses a partial acceptance where it is not allowed, and the order is held for you instead."
                      checked={settings.partialAcceptance}
                      onChange={set("partialAcceptance")}
                    />
                  )}
                  {reported.partialCancel === null && (
                    <Checkbox
                      label="This marketplace allows partial cancellation (cancel single lines or quantities)"
                      helpText="Switched on per seller by the marketplace's Mirakl support. When on, a line removed in Shopify is cancelled on the marketplace; when off, it becomes a task to cancel it in the Mirakl back office."
                      checked={settings.partialCancel}
                      onChange={set("partialCancel")}
                    />
                  )}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
          )}

          <Layout.AnnotatedSection
            title="Orders"
            description="Mirakl does not tell us the acceptance deadline: enter this marketplace's window (from its seller terms) so held orders show a countdown and escalate in time."
          >
            <Card>
              <FormLayout>
                {c.marketplaceAutoAccepts ? (
                  <Text as="p">This marketplace accepts orders itself; we import them once the customer is charged.</Text>
                ) : (
                  <Select label="When an order arrives" options={ACCEPTANCE_OPTIONS} value={settings.acceptancePolicy} onChange={set("acceptancePolicy")} error={errors.acceptancePolicy} />
                )}
                <FormLayout.Group>
                  <TextField label="Acceptance window (minutes)" type="number" value={settings.acceptanceWindowMinutes} onChange={set("acceptanceWindowMinutes")} autoComplete="off" error={errors.acceptanceWindowMinutes} />
                  <TextField label="Escalate when this many minutes remain" type="number" value={settings.acceptanceEscalationMinutes} onChange={set("acceptanceEscalationMinutes")} autoComplete="off" error={escalationError} />
                </FormLayout.Group>
                <Select label="Customer on imported orders" options={CUSTOMER_OPTIONS} value={settings.customerPolicy} onChange={set("customerPolicy")} />
                {settings.customerPolicy === "SHARED_CUSTOMER" && (
                  <TextField label="Shared customer e-mail" type="email" value={settings.sharedCustomerEmail} onChange={set("sharedCustomerEmail")} autoComplete="off" error={errors.sharedCustomerEmail} />
                )}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Stock" description="What the marketplace may sell: Shopify's available stock at these locations, less a safety buffer that absorbs timing gaps.">
            <Card>
              <FormLayout>
                {locationsError ? (
                  <Banner tone="warning">
                    <p>{locationsError}</p>
                  </Banner>
                ) : (
                  <BlockStack gap="100">
                    <Text as="span">Locations</Text>
                    {locations.map((l) => (
                      <Checkbox
                        key={l.id}
                        label={l.name}
                        checked={locationIds.includes(l.id)}
                        onChange={(checked) => setLocationIds((prev) => (checked ? [...prev, l.id] : prev.filter((x) => x !== l.id)))}
                      />
                    ))}
                    {locationIds.length === 0 && (
                      <Text as="span" tone="caution">
                        No location chosen: no stock is sent to this marketplace until you choose at least one.
                      </Text>
                    )}
                  </BlockStack>
                )}
                <FormLayout.Group>
                  <Select label="Safety buffer" options={BUFFER_OPTIONS} value={settings.safetyStockMode} onChange={set("safetyStockMode")} />
                  <TextField label={settings.safetyStockMode === "PERCENT" ? "Percent" : "Units"} type="number" value={settings.safetyStockValue} onChange={set("safetyStockValue")} autoComplete="off" error={errors.safetyStockValue} />
                </FormLayout.Group>
                <SafetyStockExample mode={settings.safetyStockMode} value={Number(settings.safetyStockValue) || 0} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Refunds" description="Refunds made in Shopify become a task for your CX team unless sent automatically.">
            <Card>
              <FormLayout>
                <Checkbox label="Send refunds made in Shopify to Mirakl automatically" checked={settings.autoSendRefunds} onChange={set("autoSendRefunds")} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <SyncScheduleSection values={settings} errors={errors} onChange={(field, value) => set(field)(value)} />
        </Layout>
        <Box paddingBlockEnd="800">
          <InlineStack align="end">
            <Button variant="primary" loading={busy("settings")} onClick={saveSettings}>
              Save settings
            </Button>
          </InlineStack>
        </Box>
      </BlockStack>
    </Page>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="span">{value}</Text>
    </BlockStack>
  );
}
