import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { payoutCsv } from "../sync/payouts/csv";
import { payoutReference } from "../sync/payouts/sync.server";
import { requirePayoutDetail } from "../sync/payouts/views.server";

/** GET /app/payouts/<id>/csv: the payout's per-order table for finance's spreadsheet. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { payout, connection, report } = await requirePayoutDetail({ services: services(), shop, id: params.id });
  // The reference itself, not the screen's title ("no. 000001"): finance matches it against the bank statement.
  const reference = payoutReference(payout);
  const csv = payoutCsv(
    {
      reference,
      date: payout.cycleCreatedAt,
      state: payout.payOutState,
      marketplace: connection.name,
      currency: payout.currency,
    },
    report.orders
  );
  const name = `${connection.name}-payout-${reference}`.replace(/[^A-Za-z0-9._-]+/g, "-");
  // A BOM so Excel reads the file as UTF-8.
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
