/**
 * A steady stream of customer orders for the demo and benchmarks, at a real-time rate, drawn from the seeded
 * PRNG: basket size, SKUs (weighted), quantities, shipping type, and optionally SKUs the shop does not sell
 * (an unmapped SKU on the Shopify side).
 */
import { z } from "zod";
import { createOrder } from "./order-factory";
import { badRequest } from "./sim-errors";
import type { SimState } from "./sim-state";
import type { CreateOrderInput, GeneratorOptions } from "./types";

export const generatorOptionsSchema = z
  .object({
    ordersPerMinute: z.number().positive().max(60_000),
    basketSize: z.tuple([z.number().int().min(1), z.number().int().min(1)]).refine(([a, b]) => a <= b, "basketSize must be [min, max]").optional(),
    skuWeights: z.record(z.number().nonnegative()).optional(),
    unknownSkuRate: z.number().min(0).max(1).optional(),
    shopId: z.number().int().optional(),
  })
  .strict();

export interface OrderGenerator {
  start(opts: GeneratorOptions): void;
  stop(): void;
  running(): boolean;
  /** Builds one random order input (exposed for tests of the distribution). */
  draw(opts: GeneratorOptions): CreateOrderInput | null;
}

export function createOrderGenerator({ getState }: { getState: () => SimState }): OrderGenerator {
  let timer: NodeJS.Timeout | null = null;

  const draw = (opts: GeneratorOptions): CreateOrderInput | null => {
    const state = getState();
    const prng = state.random.orders;
    const shopId = opts.shopId ?? state.shops[0]?.shopId;
    if (shopId === undefined) return null;
    const weights = opts.skuWeights;
    const candidates = [...(state.offersByShop.get(shopId)?.values() ?? [])].filter(
      (o) => !o.deleted && o.quantity > 0 && (!weights || (weights[o.sku] ?? 0) > 0),
    );
    const [min, max] = opts.basketSize ?? [1, 3];
    const size = prng.int({ min, max });
    const lines: CreateOrderInput["lines"] = [];
    const used = new Set<string>();
    for (let i = 0; i < size; i++) {
      if (opts.unknownSkuRate && prng.chance(opts.unknownSkuRate)) {
        lines.push({ offerSku: `UNMAPPED-${prng.chars({ length: 6, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" })}`, quantity: 1, unitPrice: prng.int({ min: 500, max: 5000 }) / 100, productTitle: "Product unknown to the shop" });
        continue;
      }
      const pool = candidates.filter((o) => !used.has(o.sku));
      if (pool.length === 0) break;
      const total = pool.reduce((s, o) => s + (weights?.[o.sku] ?? 1), 0);
      let r = prng.next() * total;
      let chosen = pool[pool.length - 1];
      for (const o of pool) {
        r -= weights?.[o.sku] ?? 1;
        if (r < 0) {
          chosen = o;
          break;
        }
      }
      if (!chosen) break;
      used.add(chosen.sku);
      const quantity = Math.min(chosen.quantity, prng.chance(0.8) ? 1 : prng.int({ min: 2, max: 3 }));
      lines.push({ offerSku: chosen.sku, quantity });
    }
    if (lines.length === 0) return null;
    const types = state.tenant.shippingTypes;
    const shippingTypeCode = types.length > 1 && prng.chance(0.2) ? types[1]?.code : types[0]?.code;
    return { shopId, lines, shippingTypeCode };
  };

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  return {
    draw,
    stop,
    running: () => timer !== null,
    start: (opts) => {
      const parsed = generatorOptionsSchema.safeParse(opts);
      if (!parsed.success) throw badRequest(`Invalid generator options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      stop();
      const rate = parsed.data.ordersPerMinute / 60_000;
      const tickMs = Math.max(20, Math.min(1_000, Math.floor(1 / rate)));
      let last = Date.now();
      let owed = 0;
      timer = setInterval(() => {
        const now = Date.now();
        owed += (now - last) * rate;
        last = now;
        while (owed >= 1) {
          owed -= 1;
          const input = draw(parsed.data);
          if (!input) continue;
          try {
            createOrder({ state: getState(), input });
          } catch {
            // A basket that cannot be created (e.g. stock ran out meanwhile) is simply skipped.
          }
        }
      }, tickMs);
      timer.unref();
    },
  };
}
