import type { ActionFunctionArgs } from "@remix-run/node";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { services } from "../context.server";

/**
 * Sync routes: `POST /jobs/<name>` with `Authorization: Bearer <JOBS_SECRET>` and a JSON payload enqueues
 * that job (deduplicated by its key like any other enqueue), so any external cron can drive the schedules.
 * Disabled (404) when JOBS_SECRET is not set.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const s = services();
  const secret = s.env.JOBS_SECRET;
  if (!secret) return new Response("Not found", { status: 404 });
  const given = (request.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "");
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return new Response("Unauthorized", { status: 401 });
  const name = z.string().min(1).parse(params.name);
  const def = s.jobs.definitions().find((d) => d.name === name);
  if (!def) return Response.json({ error: `Unknown job "${name}"`, jobs: s.jobs.definitions().map((d) => d.name) }, { status: 404 });
  const body = request.headers.get("content-length") === "0" ? {} : await request.json().catch(() => null);
  const payload = def.schema.safeParse(body ?? {});
  if (!payload.success) return Response.json({ error: "Invalid payload", issues: payload.error.issues }, { status: 400 });
  const id = await s.jobs.enqueue(def, payload.data);
  return Response.json({ enqueued: id !== null, id, deduplicated: id === null }, { status: 202 });
}

export const loader = () => new Response("Method not allowed", { status: 405 });
