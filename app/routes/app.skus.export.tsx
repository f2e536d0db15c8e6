import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { exportMappingCsv } from "../sync/catalogue/mapping-import.server";
import { getShopConnection } from "../sync/catalogue/mapping.server";

/** GET /app/skus/export?connection=<id>: the whole SKU mapping as CSV, streamed (100,000 offers in constant memory). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const url = new URL(request.url);
  const connectionId = z.string().uuid().safeParse(url.searchParams.get("connection"));
  if (!connectionId.success) return new Response("Choose a marketplace (connection=<id>).", { status: 400 });
  const s = services();
  const connection = await getShopConnection({ services: s, shop, connectionId: connectionId.data }).catch(() => null);
  if (!connection) return new Response("Unknown marketplace.", { status: 404 });
  const lines = exportMappingCsv({ services: s, shop, connectionId: connection.id });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      // A BOM so Excel reads the file as UTF-8 (accents in offer titles).
      controller.enqueue(encoder.encode("\uFEFF"));
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  const name = connection.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "marketplace";
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="sku-mapping-${name}-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
