import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { errorMessage } from "../lib/errors";
import { importMappingCsv, type ImportMappingCsvResult } from "../sync/catalogue/mapping-import.server";

/** 5 MB is far beyond a 50,000-row mapping file; anything larger is not one. */
const MAX_BYTES = 5 * 1024 * 1024;

export type ImportResponse = ImportMappingCsvResult | { kind: "error"; message: string };

/** POST /app/skus/import (multipart: connection, file): applies the valid rows, reports the others by row number. */
export const action = async ({ request }: ActionFunctionArgs): Promise<ImportResponse> => {
  const { shop } = await requireAdmin(request);
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BYTES + 64 * 1024) return { kind: "error", message: "The file is larger than 5 MB: split it and import the parts." };
  const form = await request.formData();
  const connectionId = z.string().uuid().safeParse(form.get("connection"));
  if (!connectionId.success) return { kind: "error", message: "Choose a marketplace first." };
  const file = form.get("file");
  if (!file || typeof file === "string") return { kind: "error", message: "Choose a CSV file to import." };
  if (file.size > MAX_BYTES) return { kind: "error", message: "The file is larger than 5 MB: split it and import the parts." };
  if (!/\.(csv|txt)$/i.test(file.name) && !/csv|text\/plain/i.test(file.type)) return { kind: "error", message: `${file.name} is not a CSV file (save the spreadsheet as CSV first).` };
  try {
    return await importMappingCsv({ services: services(), shop, connectionId: connectionId.data, text: await file.text() });
  } catch (err) {
    return { kind: "error", message: `The import stopped: ${errorMessage(err)}. Rows already applied stay applied; importing the same file again is safe.` };
  }
};

export const loader = () => new Response("Method not allowed", { status: 405 });
