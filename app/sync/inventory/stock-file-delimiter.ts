import { z } from "zod";
import { csvDelimiterFromPlatform, type CsvDelimiter } from "../../mirakl";

/**
 * The part of a connection's stored PC01 answer (MarketplaceConnection.platformConfig, refreshed daily) the stock
 * file needs. Lenient on purpose: a connection made before PC01 was stored holds `{}`, and a shape we do not expect
 * must not stop stock from going out, so anything unreadable falls back to Mirakl's default.
 */
const storedPlatformConfigSchema = z.object({
  summary: z.object({ operatorCsvDelimiter: z.string().nullish() }).nullish().catch(null),
  features: z.object({ operator_csv_delimiter: z.string().nullish() }).nullish().catch(null),
});

/** The delimiter this connection's STO01 files must use: the tenant's PC01 operator_csv_delimiter, `;` when silent. */
export function stockFileDelimiter(platformConfig: unknown): CsvDelimiter {
  const parsed = storedPlatformConfigSchema.safeParse(platformConfig);
  if (!parsed.success) return csvDelimiterFromPlatform(null);
  return csvDelimiterFromPlatform(parsed.data.summary?.operatorCsvDelimiter ?? parsed.data.features?.operator_csv_delimiter);
}
