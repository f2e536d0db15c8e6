import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, DropZone, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

export interface ImportReport {
  kind: "imported" | "invalid_file" | "error";
  message?: string;
  dataRows?: number;
  applied?: number;
  unchanged?: number;
  released?: number;
  releaseErrors?: string[];
  errors?: Array<{ row: number; offerSku: string | null; code: string; message: string }>;
}

const CODE_LABEL: Record<string, string> = {
  malformed_row: "Malformed row",
  duplicate_row: "Duplicate row",
  unknown_offer_sku: "Unknown offer SKU",
  unknown_shopify_sku: "Unknown Shopify SKU",
  ambiguous_shopify_sku: "Ambiguous Shopify SKU",
  unknown_variant: "Unknown Shopify variant",
};

/**
 * Bulk mapping: download the mapping as CSV, edit it in a spreadsheet, upload it back. The download goes through
 * fetch (not a plain link) so that, embedded in the Shopify admin, App Bridge adds the session token to it.
 */
export function SkuCsvCard({ connectionId, connectionName }: { connectionId: string; connectionName: string }) {
  const upload = useFetcher<ImportReport>();
  const [file, setFile] = useState<File | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const report = upload.data;

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      const res = await fetch(`/app/skus/export?connection=${encodeURIComponent(connectionId)}`);
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "sku-mapping.csv";
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setDownloadError(`The export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setDownloading(false);
    }
  };

  const submit = () => {
    if (!file) return;
    const fd = new FormData();
    fd.set("connection", connectionId);
    fd.set("file", file);
    upload.submit(fd, { method: "post", action: "/app/skus/import", encType: "multipart/form-data" });
  };

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Bulk mapping (CSV)
            </Text>
            <Text as="p" tone="subdued">
              Columns: offer_sku, offer_title, shopify_sku, shopify_variant_id, status (IGNORED to ignore), safety_stock_override. Fill shopify_sku (or shopify_variant_id when
              several variants share a SKU); rows you leave as exported change nothing.
            </Text>
          </BlockStack>
          <Button onClick={download} loading={downloading}>
            Export CSV
          </Button>
        </InlineStack>
        {downloadError && (
          <Banner tone="critical">
            <p>{downloadError}</p>
          </Banner>
        )}
        <DropZone allowMultiple={false} onDrop={(_all, accepted) => setFile(accepted[0] ?? null)} label={`Import a mapping file for ${connectionName}`} variableHeight>
          <div style={{ padding: 16 }}>
            <Text as="p" alignment="center">
              {file ? `${file.name} (${Math.ceil(file.size / 1024)} KB)` : "Drop a CSV file here or click to choose one"}
            </Text>
          </div>
        </DropZone>
        <InlineStack gap="200">
          <Button variant="primary" disabled={!file} loading={upload.state !== "idle"} onClick={submit}>
            Import CSV
          </Button>
        </InlineStack>
        {report && <ImportReportView report={report} />}
      </BlockStack>
    </Card>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  if (report.kind !== "imported") {
    return (
      <Banner tone="critical" title="The file was not imported">
        <p>{report.message}</p>
      </Banner>
    );
  }
  const errors = report.errors ?? [];
  return (
    <BlockStack gap="200">
      <Banner tone={errors.length > 0 ? "warning" : "success"} title={`${report.applied ?? 0} rows applied, ${report.unchanged ?? 0} unchanged, ${errors.length} with errors`}>
        <p>
          {errors.length > 0 ? "The rows below were not applied; fix them and import the file again (rows already applied stay as they are)." : "Every row was applied."}
          {(report.released ?? 0) > 0 ? ` ${report.released} held orders were released.` : ""}
        </p>
        {(report.releaseErrors ?? []).length > 0 && <p>Some held orders could not be released yet and will be retried: {(report.releaseErrors ?? []).join("; ")}</p>}
      </Banner>
      {errors.length > 0 && (
        <div data-testid="import-errors">
          <DataTable
            columnContentTypes={["numeric", "text", "text", "text"]}
            headings={["Row", "Offer SKU", "Problem", "Details"]}
            rows={errors.slice(0, 500).map((e) => [e.row, e.offerSku ?? "—", CODE_LABEL[e.code] ?? e.code, e.message])}
            footerContent={errors.length > 500 ? `Showing the first 500 of ${errors.length} errors.` : undefined}
          />
        </div>
      )}
    </BlockStack>
  );
}
