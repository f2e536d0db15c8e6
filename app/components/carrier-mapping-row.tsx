import { Link, useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { UNLISTED_CHOICE, canSaveCarrierChoice, initialCarrierChoice } from "../sync/fulfilment/carrier-choice";
import { useFormatDateTime } from "./time-zone";

/** One tracking company seen in Shopify and the marketplace carrier it is sent as (the carrier mapping screen). */
export interface CarrierRowView {
  key: string;
  name: string;
  miraklCarrierCode: string | null;
  useUnregistered: boolean;
  status: "MAPPED" | "AUTO" | "UNLISTED" | "NEEDS_CARRIER" | "INVALID_CODE" | "UNLISTED_FORBIDDEN";
  suggestions: Array<{ code: string; label: string; score: number; why: string }>;
  held: Array<{ fulfillmentLinkId: string; orderLinkId: string; miraklOrderId: string; shopifyOrderName: string | null; trackingNumber: string | null; since: string }>;
}

export interface CarrierOption {
  code: string;
  label: string;
  standardCode: string | null;
}

type SaveResult = { ok?: string; fieldErrors?: Record<string, string>; key?: string };

const STATUS: Record<CarrierRowView["status"], { tone: "success" | "info" | "critical" | "attention" | "warning"; label: string }> = {
  MAPPED: { tone: "success", label: "Mapped" },
  AUTO: { tone: "info", label: "Matched automatically" },
  UNLISTED: { tone: "success", label: "Sent as unlisted carrier" },
  NEEDS_CARRIER: { tone: "critical", label: "Needs a carrier" },
  INVALID_CODE: { tone: "critical", label: "Carrier no longer offered" },
  UNLISTED_FORBIDDEN: { tone: "critical", label: "Unlisted not accepted" },
};

const UNLISTED = UNLISTED_CHOICE;

export function CarrierMappingRow({
  row,
  connectionId,
  carriers,
  allowUnregistered,
  marketplace,
}: {
  row: CarrierRowView;
  connectionId: string;
  carriers: CarrierOption[];
  allowUnregistered: boolean;
  marketplace: string;
}) {
  const formatDateTime = useFormatDateTime();
  const fetcher = useFetcher<SaveResult>();
  // Never a suggestion: a guessed carrier must be picked on purpose before held shipments go out with it.
  const initial = initialCarrierChoice(row, allowUnregistered);
  const [choice, setChoice] = useState(initial);
  useEffect(() => setChoice(initial), [initial]);
  const errors = fetcher.data?.key === row.key ? (fetcher.data.fieldErrors ?? {}) : {};
  const status = STATUS[row.status];
  const options = [
    { label: "Choose a carrier…", value: "" },
    ...carriers.map((c) => ({ label: `${c.label} (${c.code})`, value: c.code })),
    ...(allowUnregistered ? [{ label: "Send as an unlisted carrier (name + tracking link)", value: UNLISTED }] : []),
  ];
  const save = () => {
    const fd = new FormData();
    fd.set("intent", "save");
    fd.set("connectionId", connectionId);
    fd.set("shopifyCarrierName", row.name);
    fd.set("miraklCarrierCode", choice === UNLISTED ? "" : choice);
    fd.set("useUnregistered", choice === UNLISTED ? "true" : "false");
    fetcher.submit(fd, { method: "post" });
  };
  const canSave = canSaveCarrierChoice(choice, row, row.status === "NEEDS_CARRIER");
  return (
    <div style={{ borderTop: "1px solid var(--p-color-border-secondary)", padding: "16px" }} data-testid="carrier-row" data-carrier={row.key}>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {row.name}
            </Text>
            <Badge tone={status.tone}>{status.label}</Badge>
            {row.held.length > 0 && <Badge tone="critical">{`${row.held.length} held`}</Badge>}
          </InlineStack>
        </InlineStack>
        {row.held.length > 0 && (
          <BlockStack gap="100">
            <Text as="p" tone="critical">
              {row.held.length === 1 ? "1 shipment is" : `${row.held.length} shipments are`} waiting for this carrier: their tracking has not reached {marketplace}.
            </Text>
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {row.held.map((h) => (
                <li key={h.fulfillmentLinkId}>
                  <Text as="span" variant="bodySm">
                    <Link to={`/app/orders/${h.orderLinkId}`} data-testid="held-order-link">
                      {`${h.shopifyOrderName ? `${h.shopifyOrderName} · ` : ""}${marketplace} order ${h.miraklOrderId}`}
                    </Link>
                    {h.trackingNumber ? ` · tracking ${h.trackingNumber}` : ""} · since {formatDateTime(h.since)}
                  </Text>
                </li>
              ))}
            </ul>
          </BlockStack>
        )}
        {row.suggestions.length > 0 && row.status !== "MAPPED" && row.status !== "AUTO" && (
          <InlineStack gap="100" blockAlign="center">
            <Text as="span" tone="subdued" variant="bodySm">
              Possible:
            </Text>
            {row.suggestions.map((s, i) => (
              <InlineStack key={s.code} gap="0" blockAlign="center">
                <Button variant="plain" size="slim" pressed={choice === s.code} onClick={() => setChoice(s.code)} accessibilityLabel={`${s.label} (${s.code})`}>
                  {`${s.label} (${s.code})`}
                </Button>
                {i < row.suggestions.length - 1 && (
                  <Text as="span" tone="subdued" variant="bodySm">
                    ,
                  </Text>
                )}
              </InlineStack>
            ))}
            <Text as="span" tone="subdued" variant="bodySm">
              — pick one, or choose below.
            </Text>
          </InlineStack>
        )}
        <InlineStack gap="300" blockAlign="end" wrap={false}>
          <div style={{ minWidth: 320 }}>
            <Select label={`Carrier for ${row.name}`} labelHidden options={options} value={choice} onChange={setChoice} error={errors.miraklCarrierCode ?? errors.useUnregistered} />
          </div>
          <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"} disabled={!canSave}>
            {row.held.length > 0 ? "Save and send held shipments" : "Save"}
          </Button>
        </InlineStack>
        {fetcher.data?.key === row.key && fetcher.data.ok && (
          <Text as="p" tone="success">
            {fetcher.data.ok}
          </Text>
        )}
      </BlockStack>
    </div>
  );
}

/** Map a tracking company before its first shipment arrives. */
export function AddCarrierMapping({ connectionId, carriers, allowUnregistered }: { connectionId: string; carriers: CarrierOption[]; allowUnregistered: boolean }) {
  const fetcher = useFetcher<SaveResult>();
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [unlisted, setUnlisted] = useState(false);
  const errors = fetcher.data?.key === "__new__" ? (fetcher.data.fieldErrors ?? {}) : {};
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.key === "__new__" && fetcher.data.ok) {
      setName("");
      setCode("");
      setUnlisted(false);
    }
  }, [fetcher.state, fetcher.data]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="new" value="1" />
      <input type="hidden" name="connectionId" value={connectionId} />
      <input type="hidden" name="useUnregistered" value={unlisted ? "true" : "false"} />
      <BlockStack gap="300">
        <InlineStack gap="300" blockAlign="end">
          <div style={{ minWidth: 260 }}>
            <TextField label="Tracking company (as on your fulfilments)" name="shopifyCarrierName" value={name} onChange={setName} autoComplete="off" error={errors.shopifyCarrierName} />
          </div>
          <div style={{ minWidth: 260 }}>
            <Select
              label="Marketplace carrier"
              name="miraklCarrierCode"
              options={[{ label: "Choose a carrier…", value: "" }, ...carriers.map((c) => ({ label: `${c.label} (${c.code})`, value: c.code }))]}
              value={unlisted ? "" : code}
              onChange={setCode}
              disabled={unlisted}
              error={errors.miraklCarrierCode}
            />
          </div>
          <Button submit loading={fetcher.state !== "idle"} disabled={name.trim() === "" || (!code && !unlisted)}>
            Add mapping
          </Button>
        </InlineStack>
        {allowUnregistered && <Checkbox label="Send it as an unlisted carrier (name + tracking link) instead" checked={unlisted} onChange={setUnlisted} error={errors.useUnregistered} />}
        {fetcher.data?.key === "__new__" && fetcher.data.ok && (
          <Text as="p" tone="success">
            {fetcher.data.ok}
          </Text>
        )}
      </BlockStack>
    </fetcher.Form>
  );
}
