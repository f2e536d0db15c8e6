import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

export interface VariantOption {
  id: string;
  sku: string | null;
  displayName: string;
  price: string;
}

export interface EditableSku {
  offerSku: string;
  matchStatus: string;
  source: string;
  shopifySku: string | null;
  safetyStockOverride: number | null;
}

export interface EditorResult {
  intent: string;
  offerSku?: string;
  ok?: string;
  error?: string;
  candidates?: VariantOption[];
}

/**
 * Inline mapping of one offer: type a Shopify SKU (suggestions appear as you type) or pick one of the variants that
 * share an ambiguous SKU, set a per-SKU safety stock, then save; or unmap, ignore, or hand it back to auto-matching.
 * Posts to the SKU screen's action (intent map | unmap | ignore | auto).
 */
export function SkuMappingEditor({ row, connectionId, onDone }: { row: EditableSku; connectionId: string; onDone: (message?: string) => void }) {
  const save = useFetcher<EditorResult>();
  const lookup = useFetcher<{ variants: VariantOption[]; error?: string }>();
  const [sku, setSku] = useState(row.shopifySku ?? "");
  const [override, setOverride] = useState(row.safetyStockOverride === null ? "" : String(row.safetyStockOverride));
  const [picked, setPicked] = useState<VariantOption | null>(null);
  const busy = save.state !== "idle";
  const result = save.data;

  // Ambiguous: show the variants that share the offer's SKU straight away.
  useEffect(() => {
    if (row.matchStatus === "AMBIGUOUS") lookup.load(`/app/skus/variants?sku=${encodeURIComponent(row.offerSku)}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [row.offerSku, row.matchStatus]);

  // Suggestions while typing (debounced); nothing is saved until Save.
  useEffect(() => {
    const text = sku.trim();
    if (text.length < 2 || picked?.sku === text) return;
    const t = setTimeout(() => lookup.load(`/app/skus/variants?q=${encodeURIComponent(text)}`), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sku]);

  useEffect(() => {
    if (save.state === "idle" && result?.ok && result.offerSku === row.offerSku) onDone(result.ok);
  }, [save.state, result, row.offerSku, onDone]);

  const post = (intent: string, extra: Record<string, string> = {}) =>
    save.submit({ intent, connection: connectionId, offerSku: row.offerSku, ...extra }, { method: "post", action: `/app/skus?index&connection=${connectionId}` });

  const overrideError = override.trim() !== "" && !/^\d{1,6}$/.test(override.trim()) ? "A whole number of units, or empty" : undefined;
  const options = [...(result?.candidates ?? []), ...(lookup.data?.variants ?? [])].filter((v, i, all) => all.findIndex((x) => x.id === v.id) === i);

  return (
    <Box padding="400" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="300">
        <InlineStack gap="400" blockAlign="end" wrap>
          <Box minWidth="280px">
            <TextField
              label={`Shopify SKU for offer ${row.offerSku}`}
              value={sku}
              onChange={(v) => {
                setSku(v);
                setPicked(null);
              }}
              autoComplete="off"
              placeholder="Type the variant's SKU or a product name"
              helpText={picked ? `Variant: ${picked.displayName}` : undefined}
            />
          </Box>
          <Box minWidth="160px">
            <TextField
              label="Safety stock (units)"
              value={override}
              onChange={setOverride}
              autoComplete="off"
              inputMode="numeric"
              placeholder="Marketplace default"
              error={overrideError}
            />
          </Box>
          <InlineStack gap="200">
            <Button
              variant="primary"
              loading={busy && save.formData?.get("intent") === "map"}
              disabled={!!overrideError || (sku.trim() === "" && !picked)}
              onClick={() => post("map", { ...(picked ? { variantId: picked.id } : { sku: sku.trim() }), safetyStockOverride: override.trim() })}
            >
              Save
            </Button>
            {row.matchStatus === "MATCHED" && (
              <Button loading={busy && save.formData?.get("intent") === "unmap"} onClick={() => post("unmap")}>
                Unmap
              </Button>
            )}
            {row.matchStatus !== "IGNORED" && (
              <Button loading={busy && save.formData?.get("intent") === "ignore"} onClick={() => post("ignore")}>
                Ignore
              </Button>
            )}
            {row.source !== "AUTO" && (
              <Button loading={busy && save.formData?.get("intent") === "auto"} onClick={() => post("auto")}>
                Match automatically
              </Button>
            )}
            <Button variant="plain" onClick={() => onDone()}>
              Cancel
            </Button>
          </InlineStack>
        </InlineStack>
        {result?.error && result.offerSku === row.offerSku && (
          <Banner tone="critical">
            <p>{result.error}</p>
          </Banner>
        )}
        {lookup.data?.error && (
          <Text as="p" tone="critical">
            {lookup.data.error}
          </Text>
        )}
        {options.length > 0 && (
          <BlockStack gap="100">
            <Text as="p" variant="bodySm" tone="subdued">
              {row.matchStatus === "AMBIGUOUS" ? "Several variants share this SKU: choose the one this offer sells." : "Matching Shopify variants:"}
            </Text>
            <ul style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="variant-options">
              {options.map((v) => (
                <li key={v.id} style={{ padding: "2px 0" }}>
                  <Button
                    variant="tertiary"
                    pressed={picked?.id === v.id}
                    onClick={() => {
                      setPicked(v);
                      setSku(v.sku ?? "");
                    }}
                  >
                    {`${v.sku ?? "(no SKU)"} · ${v.displayName} · ${v.price}`}
                  </Button>
                </li>
              ))}
            </ul>
          </BlockStack>
        )}
      </BlockStack>
    </Box>
  );
}
