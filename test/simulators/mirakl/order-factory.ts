/**
 * Creates a customer order the way Mirakl does at checkout: one logistic order `<commercial_id>-A` per shop,
 * lines `<order_id>-<n>` (notes §5 gotcha 21), prices/taxes/commission fixed at creation, offer stock
 * decremented (notes §5 gotcha 23), and the order entered in STAGING or WAITING_ACCEPTANCE.
 */
import { roundCents, taxOn } from "./money";
import { enterWaitingAcceptance } from "./order-workflow";
import { countryName, sampleAddress, sampleLocale } from "./sample-data";
import { MiraklApiError, badRequest } from "./sim-errors";
import { findOffer, touchOrder, type SimState } from "./sim-state";
import type { AmountTax, CreateOrderInput, SimAddress, SimOrder, SimOrderLine } from "./types";

function nextCommercialId({ state }: { state: SimState }): string {
  for (;;) {
    const id = `${state.random.ids.int({ min: 1, max: 9 })}${state.random.ids.chars({ length: 9, alphabet: "0123456789" })}`;
    if (!state.commercialIds.has(id)) return id;
  }
}

function taxesFor({ state, country, amount }: { state: SimState; country: string; amount: number }): AmountTax[] {
  const rule = state.tenant.taxes[country] ?? state.tenant.taxes["*"];
  if (!rule || amount === 0) return [];
  return [{ code: rule.code, rate: rule.rate, amount: taxOn({ amount, rate: rule.rate, mode: state.tenant.orderTaxMode }) }];
}

export function createOrder({ state, input }: { state: SimState; input: CreateOrderInput }): SimOrder {
  const at = state.clock.now();
  const tenant = state.tenant;
  const shopId = input.shopId ?? state.shops[0]?.shopId;
  if (shopId === undefined || !state.ordersByShop.has(shopId)) throw badRequest(`Unknown shop ${String(input.shopId)}`);
  if (!input.lines || input.lines.length === 0) throw badRequest("An order needs at least one line");
  const shippingType = input.shippingTypeCode
    ? tenant.shippingTypes.find((t) => t.code === input.shippingTypeCode)
    : tenant.shippingTypes[0];
  if (!shippingType) throw badRequest(`Unknown shipping type ${String(input.shippingTypeCode)}`);
  const country = input.country ?? state.random.orders.pick(tenant.countries);
  if (!/^[A-Z]{3}$/.test(country)) throw badRequest(`country must be ISO 3166 alpha-3 (e.g. FRA, GBR), got ${country}`);

  const commercialId = input.commercialId ?? nextCommercialId({ state });
  const orderId = input.orderId ?? `${commercialId}-A`;
  if (state.orders.has(orderId)) throw new MiraklApiError(409, `Order ${orderId} already exists`);

  const base = sampleAddress({ prng: state.random.orders, iso3: country });
  const c = input.customer ?? {};
  const shippingAddress: SimAddress = {
    ...base,
    civility: c.civility ?? base.civility,
    firstname: c.firstname ?? base.firstname,
    lastname: c.lastname ?? base.lastname,
    company: c.company ?? base.company,
    street1: c.street1 ?? base.street1,
    street2: c.street2 ?? base.street2,
    zipCode: c.zipCode ?? base.zipCode,
    city: c.city ?? base.city,
    state: c.state ?? base.state,
    phone: c.phone ?? base.phone,
    country: countryName({ iso3: country }),
    countryIsoCode: country,
  };

  const lines: SimOrderLine[] = [];
  input.lines.forEach((spec, i) => {
    if (!Number.isInteger(spec.quantity) || spec.quantity < 1) throw badRequest(`Line ${i + 1}: quantity must be a positive integer`);
    const offer = findOffer({ state, shopId, sku: spec.offerSku });
    const unitPrice = spec.unitPrice ?? offer?.price;
    if (unitPrice === undefined) throw badRequest(`Line ${i + 1}: unitPrice is required for ${spec.offerSku}, which the shop does not sell`);
    const index = i + 1;
    const price = roundCents(unitPrice * spec.quantity);
    const first = index === 1;
    const shippingPrice = roundCents((first ? shippingType.price : shippingType.additionalPrice) + shippingType.additionalPrice * (spec.quantity - 1));
    const commissionFee = roundCents((price + shippingPrice) * tenant.commissionRate);
    if (offer) {
      offer.quantity = Math.max(0, offer.quantity - spec.quantity);
      offer.updatedAt = at;
    }
    lines.push({
      id: `${orderId}-${index}`,
      index,
      state: "STAGING",
      stateReasonCode: null,
      stateReasonLabel: null,
      offerId: offer?.offerId ?? 900000 + state.random.ids.int({ min: 1, max: 99999 }),
      offerSku: spec.offerSku,
      productSku: offer?.productSku ?? `MKP-UNMAPPED-${spec.offerSku}`,
      productTitle: spec.productTitle ?? offer?.productTitle ?? spec.offerSku,
      description: offer?.description ?? spec.productTitle ?? spec.offerSku,
      categoryCode: offer?.categoryCode ?? "GENERAL",
      categoryLabel: offer?.categoryLabel ?? "General",
      knownOffer: offer !== undefined,
      quantity: spec.quantity,
      orderedQuantity: spec.quantity,
      unitPrice,
      price,
      shippingPrice,
      shippingPriceUnit: first ? shippingType.price : shippingType.additionalPrice,
      shippingPriceAdditionalUnit: shippingType.additionalPrice,
      taxes: taxesFor({ state, country, amount: price }),
      shippingTaxes: taxesFor({ state, country, amount: shippingPrice }),
      commissionFee,
      commissionVat: roundCents((commissionFee * tenant.commissionVatRate) / 100),
      cancelations: [],
      refunds: [],
      shippedQuantity: 0,
      createdAt: at,
      updatedAt: at,
      debitedAt: null,
      shippedAt: null,
      receivedAt: null,
    });
  });

  const order: SimOrder = {
    id: orderId,
    commercialId,
    shopId,
    seq: ++state.counters.order,
    state: "STAGING",
    stateReasonCode: null,
    stateReasonLabel: null,
    createdAt: at,
    updatedAt: at,
    acceptanceDecisionAt: null,
    acceptedAt: null,
    waitingAcceptanceSince: null,
    customerDebitedAt: null,
    shippedAt: null,
    receivedAt: null,
    closedAt: null,
    shippingDeadline: at + tenant.leadtimeToShipDays * 86_400_000,
    leadtimeToShip: tenant.leadtimeToShipDays,
    currency: tenant.currency,
    taxMode: tenant.orderTaxMode,
    shippingTypeCode: shippingType.code,
    shippingTypeLabel: shippingType.label,
    shippingTypeStandardCode: shippingType.standardCode ?? null,
    shippingZoneCode: shippingType.zoneCode,
    shippingZoneLabel: shippingType.zoneLabel,
    customer: {
      customerId: `${state.random.ids.int({ min: 1, max: 9 })}${state.random.ids.chars({ length: 12, alphabet: "0123456789" })}`,
      civility: shippingAddress.civility,
      firstname: shippingAddress.firstname,
      lastname: shippingAddress.lastname,
      locale: c.locale ?? sampleLocale({ iso3: country, fallback: tenant.locale }),
      shippingAddress,
      billingAddress: { ...shippingAddress, additionalInfo: null },
    },
    // Sellers only get Mirakl's anonymised relay address (notes §5 gotcha 9).
    notificationEmail: `${state.random.ids.chars({ length: 11 })}.${state.random.ids.chars({ length: 8 })}@notification.mirakl.net`,
    referenceForCustomer: commercialId,
    referenceForSeller: null,
    tracking: null,
    lines,
    paymentWorkflow: "PAY_ON_ACCEPTANCE",
    paymentType: tenant.paymentType,
    debitOutcome: input.debit ?? (state.random.debit.chance(tenant.debitFailRate) ? "fail" : "succeed"),
    transactionNumber: null,
    version: 0,
  };

  state.commercialIds.add(commercialId);
  state.orders.set(order.id, order);
  state.ordersByShop.get(shopId)?.push(order);
  state.stats.ordersCreated++;
  touchOrder({ order, at });

  if (tenant.stagingMs > 0) {
    state.scheduler.schedule({ at: at + tenant.stagingMs, event: { kind: "staging-end", orderId: order.id } });
  } else {
    enterWaitingAcceptance({ state, order, at });
  }
  return order;
}
