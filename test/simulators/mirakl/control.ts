/**
 * The simulator's control surface (in-process and, via control-http.ts, over HTTP under /_sim): what the
 * marketplace's customers and operator do (order, cancel, ship or refund in the back office), the clock,
 * faults, the order generator and inspection. Refused actions throw MiraklApiError (409/404/400).
 */
import { closeBillingCycle } from "./accounting";
import { clearFaults, setFaults } from "./faults";
import { createOrderGenerator, type OrderGenerator } from "./generator";
import { roundCents } from "./money";
import { isOfferActive } from "./offer-view";
import { createOrder } from "./order-factory";
import { refundLines, type RefundRequestItem } from "./order-refunds";
import { renderOrder, type OrderJson } from "./order-view";
import { cancelWholeOrder, refundableRemaining, resolveTracking, setOrderTracking, shipWholeOrder } from "./order-workflow";
import { MiraklApiError, badRequest } from "./sim-errors";
import { createSimState, findOffer, upsertOffer, type SimState } from "./sim-state";
import { runDueTransitions } from "./time-transitions";
import type { CreateOrderInput, FaultConfig, GeneratorOptions, OrderState, RefundInPortalLine, SimOffer, SimulatorStats, TenantConfig } from "./types";

export interface OfferSnapshot {
  shopId: number;
  offerId: number;
  sku: string;
  productSku: string;
  productTitle: string;
  price: number;
  quantity: number;
  active: boolean;
}

export interface MiraklControl {
  /** Places a customer order now (deterministic; draws only ids and address from the seeded PRNG). */
  createOrder(input: CreateOrderInput): OrderJson;
  /** The seller's view of an order (as OR11 shows it), or undefined. */
  getOrder(orderId: string): OrderJson | undefined;
  listOrders(opts?: { shopId?: number; state?: OrderState }): OrderJson[];
  /** The customer cancels before being debited. */
  customerCancel(orderId: string): OrderJson;
  /** A shipment confirmed in the Mirakl back office instead of through OR23/OR24. */
  shipInPortal(orderId: string, opts: { carrierCode: string; trackingNumber: string }): OrderJson;
  /** A refund made by the operator in the back office (reason defaults to the first REFUND reason). */
  refundInPortal(orderId: string, lines: RefundInPortalLine[]): OrderJson;
  setOfferQuantity(sku: string, quantity: number, opts?: { shopId?: number }): OfferSnapshot;
  /** The seller lists a new offer (or changes an existing one's quantity and price) after start-up. Default shop: the first. */
  upsertOffer(offer: { sku: string; quantity: number; price: number; productTitle?: string; shopId?: number }): OfferSnapshot;
  getOffers(opts?: { shopId?: number }): OfferSnapshot[];
  /** Moves the simulated clock forward and applies every transition that became due. */
  advanceClock(ms: number): { now: string };
  now(): Date;
  setFaults(faults: FaultConfig): void;
  clearFaults(): void;
  startGenerator(opts: GeneratorOptions): void;
  stopGenerator(): void;
  /** Changes tenant switches at runtime (e.g. partialAcceptance), for tests. */
  configure(tenant: Partial<TenantConfig>): TenantConfig;
  getTenant(): TenantConfig;
  /** Closes a billing cycle now (SBC11) instead of waiting for the next cycle boundary. */
  closeBillingCycle(): number;
  stats(): SimulatorStats;
  /** Everything, for GET /_sim/state and debugging. */
  snapshot(): Record<string, unknown>;
  /** Back to the initial seed: orders, offers, imports, accounting, faults, stats, clock and generator. */
  reset(): void;
}

export interface ControlRuntime {
  state: SimState;
}

export function createControl({ runtime }: { runtime: ControlRuntime }): { control: MiraklControl; generator: OrderGenerator } {
  const generator = createOrderGenerator({ getState: () => runtime.state });
  const st = () => {
    runDueTransitions({ state: runtime.state });
    return runtime.state;
  };
  const view = (orderId: string): OrderJson => {
    const state = runtime.state;
    const order = state.orders.get(orderId);
    if (!order) throw new MiraklApiError(404, `The order '${orderId}' does not exist.`);
    return structuredClone(renderOrder({ state, order }));
  };
  const orderOf = (orderId: string) => {
    const order = st().orders.get(orderId);
    if (!order) throw new MiraklApiError(404, `The order '${orderId}' does not exist.`);
    return order;
  };
  const offerSnapshot = (o: SimOffer): OfferSnapshot => ({
    shopId: o.shopId,
    offerId: o.offerId,
    sku: o.sku,
    productSku: o.productSku,
    productTitle: o.productTitle,
    price: o.price,
    quantity: o.quantity,
    active: isOfferActive(o),
  });

  const control: MiraklControl = {
    createOrder: (input) => {
      const state = st();
      const order = createOrder({ state, input });
      runDueTransitions({ state });
      return view(order.id);
    },
    getOrder: (orderId) => {
      const state = st();
      return state.orders.has(orderId) ? view(orderId) : undefined;
    },
    listOrders: (opts = {}) => {
      const state = st();
      return [...state.orders.values()]
        .filter((o) => (opts.shopId === undefined || o.shopId === opts.shopId) && (opts.state === undefined || o.state === opts.state))
        .sort((a, b) => a.seq - b.seq)
        .map((o) => view(o.id));
    },
    customerCancel: (orderId) => {
      const order = orderOf(orderId);
      if (order.state !== "STAGING" && order.state !== "WAITING_ACCEPTANCE" && order.state !== "WAITING_DEBIT_PAYMENT") {
        throw new MiraklApiError(409, `The customer can only cancel before being debited; the order is ${order.state}.`);
      }
      const reason = runtime.state.tenant.reasons.find((r) => r.type === "CANCELATION");
      cancelWholeOrder({ state: runtime.state, order, at: runtime.state.clock.now(), reasonCode: reason?.code ?? null, reasonLabel: "Canceled by the customer" });
      return view(orderId);
    },
    shipInPortal: (orderId, opts) => {
      const order = orderOf(orderId);
      const state = runtime.state;
      const at = state.clock.now();
      if (order.state !== "SHIPPING") throw new MiraklApiError(409, `The order status must be 'SHIPPING' but it is '${order.state}'.`);
      const tracking = resolveTracking({ state, input: { carrierCode: opts.carrierCode, trackingNumber: opts.trackingNumber } });
      setOrderTracking({ order, tracking, at });
      shipWholeOrder({ state, order, at });
      runDueTransitions({ state });
      return view(orderId);
    },
    refundInPortal: (orderId, lines) => {
      const order = orderOf(orderId);
      const state = runtime.state;
      const fallbackReason = state.tenant.reasons.find((r) => r.type === "REFUND")?.code;
      const items: RefundRequestItem[] = lines.map((l) => {
        const line = order.lines.find((x) => x.id === l.orderLineId);
        if (!line) throw badRequest(`The order line '${l.orderLineId}' does not belong to ${orderId}.`);
        const left = refundableRemaining(line);
        const amount = l.amount ?? left.amount;
        const shippingAmount = l.shippingAmount ?? left.shippingAmount;
        const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
        return {
          order_line_id: line.id,
          amount,
          shipping_amount: shippingAmount,
          quantity: l.quantity,
          reason_code: l.reasonCode ?? fallbackReason ?? "",
          taxes: left.taxes.map((t) => ({ code: t.code, amount: roundCents(t.amount * share(amount, left.amount)) })),
          shipping_taxes: left.shippingTaxes.map((t) => ({ code: t.code, amount: roundCents(t.amount * share(shippingAmount, left.shippingAmount)) })),
        };
      });
      refundLines({ state, shopId: order.shopId, items, requestMode: order.taxMode, at: state.clock.now(), origin: "operator" });
      runDueTransitions({ state });
      return view(orderId);
    },
    setOfferQuantity: (sku, quantity, opts = {}) => {
      const state = st();
      if (!Number.isInteger(quantity) || quantity < 0) throw badRequest("quantity must be a non-negative integer");
      const shopId = opts.shopId ?? state.shops[0]?.shopId ?? 0;
      const offer = findOffer({ state, shopId, sku });
      if (!offer) throw new MiraklApiError(404, `The offer '${sku}' does not exist in shop ${shopId}.`);
      offer.quantity = quantity;
      offer.updatedAt = state.clock.now();
      return offerSnapshot(offer);
    },
    upsertOffer: (offer) => {
      const state = st();
      if (!offer.sku || offer.sku.includes(",")) throw badRequest("sku must be non-empty and contain no comma");
      if (!Number.isInteger(offer.quantity) || offer.quantity < 0) throw badRequest("quantity must be a non-negative integer");
      if (!Number.isFinite(offer.price) || offer.price < 0) throw badRequest("price must be a non-negative number");
      const shopId = offer.shopId ?? state.shops[0]?.shopId ?? 0;
      if (!state.offersByShop.has(shopId)) throw new MiraklApiError(404, `The shop ${shopId} does not exist.`);
      return offerSnapshot(upsertOffer({ state, shopId, seed: { sku: offer.sku, quantity: offer.quantity, price: offer.price, productTitle: offer.productTitle }, at: state.clock.now() }));
    },
    getOffers: (opts = {}) => {
      const state = st();
      return [...state.offersByShop.entries()]
        .filter(([shopId]) => opts.shopId === undefined || shopId === opts.shopId)
        .flatMap(([, offers]) => [...offers.values()].filter((o) => !o.deleted).map(offerSnapshot));
    },
    advanceClock: (ms) => {
      const state = runtime.state;
      state.clock.advance(ms);
      runDueTransitions({ state });
      return { now: new Date(state.clock.now()).toISOString() };
    },
    now: () => new Date(runtime.state.clock.now()),
    setFaults: (faults) => setFaults({ state: runtime.state, faults }),
    clearFaults: () => clearFaults({ state: runtime.state }),
    startGenerator: (opts) => generator.start(opts),
    stopGenerator: () => generator.stop(),
    configure: (tenant) => {
      const state = runtime.state;
      // PC01 can only say COMMA or SEMICOLON: any other value would make the simulator read files no tenant would.
      if (tenant.csvDelimiter !== undefined && tenant.csvDelimiter !== ";" && tenant.csvDelimiter !== ",") {
        throw badRequest(`csvDelimiter must be ";" (PC01 SEMICOLON) or "," (PC01 COMMA), not ${JSON.stringify(tenant.csvDelimiter)}.`);
      }
      Object.assign(state.tenant, structuredClone(tenant));
      state.tenantRevision++;
      return structuredClone(state.tenant);
    },
    getTenant: () => structuredClone(runtime.state.tenant),
    closeBillingCycle: () => closeBillingCycle({ state: st(), at: runtime.state.clock.now() }).length,
    stats: () => structuredClone(runtime.state.stats),
    snapshot: () => {
      const state = st();
      return {
        now: new Date(state.clock.now()).toISOString(),
        tenant: state.tenant,
        shops: state.shops.map((s) => ({ shopId: s.shopId, shopName: s.shopName })),
        generatorRunning: generator.running(),
        faults: state.faults,
        orders: [...state.orders.values()].sort((a, b) => a.seq - b.seq).map((o) => renderOrder({ state, order: o })),
        offers: control.getOffers(),
        stockImports: [...state.stockImports.values()].map((i) => ({ id: i.id, shopId: i.shopId, status: i.status, linesInSuccess: i.linesInSuccess, linesInError: i.linesInError })),
        offerExports: [...state.offerExports.values()].map((e) => ({ trackingId: e.trackingId, status: e.status, format: e.format })),
        billingCycles: state.billingCycles.map((c) => ({ id: c.id, shopId: c.shopId, payOutState: c.payOutState, transactions: c.transactionIds.length })),
        transactions: [...state.transactionsByShop.values()].reduce((n, l) => n + l.length, 0),
        stats: state.stats,
      };
    },
    reset: () => {
      generator.stop();
      const clock = runtime.state.clock;
      clock.reset();
      runtime.state = createSimState({ config: runtime.state.config, clock });
    },
  };
  return { control, generator };
}
