/**
 * The seller's view of an order (OR11 `orders[]`), built from the internal record. Field choices follow the OR11
 * schema and notes §3: masked notification e-mail, ISO-3 countries, addresses null before acceptance when the
 * tenant hides them, line ids `<order_id>-<n>`. Amounts can be shown in the other tax mode (OR11 order_tax_mode).
 */
import { isoDate, roundCents, sumAmounts } from "./money";
import { canCancel, canShopShip, isActiveLine, lineCanRefund, refundableRemaining } from "./order-workflow";
import type { SimState } from "./sim-state";
import type { AmountTax, SimAddress, SimOrder, SimOrderLine, TaxMode } from "./types";

export type OrderJson = Record<string, unknown> & {
  order_id: string;
  order_state: string;
  order_lines: Array<Record<string, unknown> & { order_line_id: string; order_line_state: string; offer_sku: string; quantity: number; price: number }>;
};

const cache = new WeakMap<SimOrder, { key: string; view: OrderJson }>();

function convert({ amount, taxes, from, to }: { amount: number; taxes: readonly AmountTax[]; from: TaxMode; to: TaxMode }): number {
  if (from === to) return amount;
  return from === "TAX_INCLUDED" ? roundCents(amount - sumAmounts(taxes)) : roundCents(amount + sumAmounts(taxes));
}

function renderAddress({ address, withAdditionalInfo }: { address: SimAddress; withAdditionalInfo: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    city: address.city,
    civility: address.civility,
    company: address.company,
    company_2: null,
    country: address.country,
    country_iso_code: address.countryIsoCode,
    firstname: address.firstname,
    lastname: address.lastname,
    phone: address.phone,
    phone_secondary: null,
    state: address.state,
    street_1: address.street1,
    street_2: address.street2,
    zip_code: address.zipCode,
  };
  if (withAdditionalInfo) out.additional_info = address.additionalInfo;
  return out;
}

const renderTax = (t: AmountTax) => ({ code: t.code, amount: t.amount, rate: t.rate });

function renderLine({ state, order, line, mode }: { state: SimState; order: SimOrder; line: SimOrderLine; mode: TaxMode }) {
  const from = order.taxMode;
  const price = convert({ amount: line.price, taxes: line.taxes, from, to: mode });
  const shippingPrice = convert({ amount: line.shippingPrice, taxes: line.shippingTaxes, from, to: mode });
  const unit = from === mode || line.quantity === 0 ? line.unitPrice : roundCents(price / line.quantity);
  const rule = state.tenant.taxCalculationRule;
  return {
    can_refund: lineCanRefund({ order, line }),
    cancelations: line.cancelations.map((c) => ({
      amount: convert({ amount: c.amount, taxes: c.taxes, from, to: mode }),
      commission_amount: c.commissionAmount,
      commission_taxes: c.commissionTaxes.map(renderTax),
      commission_total_amount: roundCents(c.commissionAmount + sumAmounts(c.commissionTaxes)),
      created_date: isoDate(c.createdAt),
      fees: [],
      id: c.id,
      quantity: c.quantity,
      reason_code: c.reasonCode,
      shipping_amount: convert({ amount: c.shippingAmount, taxes: c.shippingTaxes, from, to: mode }),
      shipping_taxes: c.shippingTaxes.map(renderTax),
      taxes: c.taxes.map(renderTax),
    })),
    category_code: line.categoryCode,
    category_label: line.categoryLabel,
    commission_fee: line.commissionFee,
    commission_rate_vat: state.tenant.commissionVatRate,
    commission_taxes: [{ code: "TAXDEFAULT", amount: line.commissionVat, rate: state.tenant.commissionVatRate }],
    commission_vat: line.commissionVat,
    created_date: isoDate(line.createdAt),
    debited_date: isoDate(line.debitedAt),
    description: line.description,
    fees: [],
    last_updated_date: isoDate(line.updatedAt),
    offer_id: line.offerId,
    offer_sku: line.offerSku,
    offer_state_code: "11",
    order_line_additional_fields: [],
    order_line_id: line.id,
    order_line_index: line.index,
    order_line_state: line.state,
    order_line_state_reason_code: line.stateReasonCode,
    order_line_state_reason_label: line.stateReasonLabel,
    origin_unit_price: unit,
    price,
    price_additional_info: null,
    price_unit: unit,
    product_medias: [],
    product_shop_sku: line.offerSku,
    product_sku: line.productSku,
    product_title: line.productTitle,
    promotions: [],
    quantity: line.quantity,
    received_date: isoDate(line.receivedAt),
    refunds: line.refunds.map((r) => ({
      amount: convert({ amount: r.amount, taxes: r.taxes, from, to: mode }),
      commission_amount: r.commissionAmount,
      commission_tax_amount: sumAmounts(r.commissionTaxes),
      commission_taxes: r.commissionTaxes.map(renderTax),
      commission_total_amount: roundCents(r.commissionAmount + sumAmounts(r.commissionTaxes)),
      created_date: isoDate(r.createdAt),
      fees: [],
      id: r.id,
      order_refund_id: r.orderRefundId,
      quantity: r.quantity,
      reason_code: r.reasonCode,
      refund_state: r.state,
      shipping_amount: convert({ amount: r.shippingAmount, taxes: r.shippingTaxes, from, to: mode }),
      shipping_taxes: r.shippingTaxes.map(renderTax),
      state: r.state,
      taxes: r.taxes.map(renderTax),
      transaction_date: isoDate(r.transactionDate),
      transaction_number: r.transactionNumber,
    })),
    shipped_date: isoDate(line.shippedAt),
    shipping_from: null,
    shipping_price: shippingPrice,
    shipping_price_additional_unit: line.shippingPriceAdditionalUnit,
    shipping_price_unit: line.shippingPriceUnit,
    shipping_taxes: line.shippingTaxes.map((t) => ({ ...renderTax(t), tax_calculation_rule: rule })),
    taxes: line.taxes.map((t) => ({ ...renderTax(t), tax_calculation_rule: rule })),
    total_commission: roundCents(line.commissionFee + line.commissionVat),
    total_price: roundCents(price + shippingPrice),
  };
}

export function renderOrder({ state, order, taxMode }: { state: SimState; order: SimOrder; taxMode?: TaxMode }): OrderJson {
  const mode = taxMode ?? order.taxMode;
  const key = `${order.version}:${mode}:${state.tenantRevision}`;
  const hit = cache.get(order);
  if (hit && hit.key === key) return hit.view;

  const lines = order.lines.map((line) => renderLine({ state, order, line, mode }));
  const price = roundCents(lines.reduce((s, l) => s + l.price, 0));
  const shippingPrice = roundCents(lines.reduce((s, l) => s + l.shipping_price, 0));
  // Notes §5 gotcha 10: addresses stay null until acceptance when the platform hides them.
  const showAddresses = state.tenant.addressBeforeAcceptance || order.acceptedAt !== null;
  const active = order.lines.filter(isActiveLine);
  const fullyRefunded =
    active.length > 0 &&
    active.every((l) => {
      const r = refundableRemaining(l);
      return l.refunds.length > 0 && r.amount <= 0 && r.shippingAmount <= 0;
    });
  const t = order.tracking;
  const view: OrderJson = {
    acceptance_decision_date: isoDate(order.acceptanceDecisionAt),
    can_cancel: canCancel(order),
    can_shop_ship: canShopShip(order),
    channel: null,
    commercial_id: order.commercialId,
    created_date: isoDate(order.createdAt),
    currency_iso_code: order.currency,
    customer: {
      billing_address: showAddresses ? renderAddress({ address: order.customer.billingAddress, withAdditionalInfo: false }) : null,
      civility: order.customer.civility,
      customer_id: order.customer.customerId,
      firstname: order.customer.firstname,
      lastname: order.customer.lastname,
      locale: order.customer.locale,
      shipping_address: showAddresses ? renderAddress({ address: order.customer.shippingAddress, withAdditionalInfo: true }) : null,
    },
    customer_debited_date: isoDate(order.customerDebitedAt),
    customer_directly_pays_seller: false,
    customer_notification_email: order.notificationEmail,
    delivery_date: null,
    fulfillment: { center: { code: "DEFAULT" } },
    fully_refunded: fullyRefunded,
    has_customer_message: false,
    has_incident: false,
    has_invoice: false,
    last_updated_date: isoDate(order.updatedAt),
    leadtime_to_ship: order.leadtimeToShip,
    order_additional_fields: [],
    order_id: order.id,
    order_lines: lines,
    order_state: order.state,
    order_state_reason_code: order.stateReasonCode,
    order_state_reason_label: order.stateReasonLabel,
    order_tax_mode: mode,
    paymentType: order.paymentType,
    payment_type: order.paymentType,
    payment_workflow: order.paymentWorkflow,
    price,
    promotions: { applied_promotions: [], total_deduced_amount: 0 },
    references: { order_reference_for_customer: order.referenceForCustomer, order_reference_for_seller: order.referenceForSeller },
    shipping_carrier_code: t?.carrierCode ?? null,
    shipping_carrier_standard_code: t?.carrierStandardCode ?? null,
    shipping_company: t?.carrierName ?? null,
    shipping_deadline: isoDate(order.shippingDeadline),
    shipping_price: shippingPrice,
    shipping_pudo_id: null,
    shipping_tracking: t?.trackingNumber ?? null,
    shipping_tracking_url: t?.trackingUrl ?? null,
    shipping_type_code: order.shippingTypeCode,
    shipping_type_label: order.shippingTypeLabel,
    shipping_type_standard_code: order.shippingTypeStandardCode,
    shipping_zone_code: order.shippingZoneCode,
    shipping_zone_label: order.shippingZoneLabel,
    total_commission: roundCents(lines.reduce((s, l) => s + l.total_commission, 0)),
    total_price: roundCents(price + shippingPrice),
    transaction_date: isoDate(order.customerDebitedAt),
    transaction_number: order.transactionNumber,
  };
  cache.set(order, { key, view });
  return view;
}
