/**
 * Starts one simulated Mirakl instance (one marketplace, one tenant) on node:http: the seller API under /api
 * and the control API under /_sim. Tests wanting two marketplaces start two.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApiRequest, type ApiRuntime } from "./api-server";
import { createControl, type MiraklControl } from "./control";
import { handleControlRequest } from "./control-http";
import { sendJson } from "./http-helpers";
import { createSimState, offerSeedsFromPreset, tenantFor, type OfferSeed } from "./sim-state";
import type { PresetName, ShopAccount, TenantConfig } from "./types";

export interface StartMiraklSimulatorOptions {
  port?: number;
  host?: string;
  preset?: PresetName;
  tenant?: Partial<TenantConfig>;
  shops?: Array<{ apiKey: string; shopId?: number; shopName?: string }>;
  /** Replaces the preset's catalogue. `shopId` limits an offer to one shop (default: every shop). */
  offers?: Array<{ sku: string; quantity: number; price: number; productTitle?: string; productSku?: string; shopId?: number }>;
  seed?: number;
  /** Check query and body against the OpenAPI (strict) and refuse what does not match (default true). */
  validateRequests?: boolean;
}

export interface MiraklSimulator {
  /** Base URL without /api, e.g. http://127.0.0.1:4001. */
  url: string;
  port: number;
  close(): Promise<void>;
  control: MiraklControl;
}

export const DEFAULT_API_KEY = "sim-shop-key";

export async function startMiraklSimulator(opts: StartMiraklSimulatorOptions = {}): Promise<MiraklSimulator> {
  const preset = opts.preset ?? "default";
  const shops: ShopAccount[] = (opts.shops ?? [{ apiKey: DEFAULT_API_KEY }]).map((s, i) => ({
    apiKey: s.apiKey,
    shopId: s.shopId ?? 2001 + i,
    shopName: s.shopName ?? `Simulated Shop ${s.shopId ?? 2001 + i}`,
  }));
  if (shops.length === 0) throw new Error("startMiraklSimulator needs at least one shop");
  if (new Set(shops.map((s) => s.shopId)).size !== shops.length) throw new Error("shop ids must be unique");
  const offers: OfferSeed[] = opts.offers ?? offerSeedsFromPreset({ preset });
  const state = createSimState({ config: { preset, tenant: tenantFor({ preset, overrides: opts.tenant }), shops, offers, seed: opts.seed ?? 1 } });

  const host = opts.host ?? "127.0.0.1";
  const runtime: ApiRuntime = { state, validateRequests: opts.validateRequests ?? true, hanging: new Set(), fallbackBaseUrl: "" };
  const { control, generator } = createControl({ runtime });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const work = url.pathname.startsWith("/_sim")
      ? handleControlRequest({ control, req, res, url })
      : url.pathname.startsWith("/api/")
        ? handleApiRequest({ runtime, req, res, url })
        : Promise.resolve(sendJson({ res, status: 404, body: { status: 404, message: "Not Found" } }));
    work.catch((err: unknown) => {
      if (!res.headersSent) sendJson({ res, status: 500, body: { status: 500, message: err instanceof Error ? err.message : String(err) } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  runtime.fallbackBaseUrl = url;

  let closed = false;
  return {
    url,
    port,
    control,
    close: async () => {
      if (closed) return;
      closed = true;
      generator.stop();
      for (const t of runtime.hanging) clearTimeout(t);
      runtime.hanging.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
