/**
 * OR11-shaped orders for unit tests, parsed through the client's own schema so they have exactly the shape
 * the sync code receives. Modelled on seller-api-notes §3.1 (a composed, realistic SHIPPING order).
 */
import { miraklOrderSchema, type MiraklOrder } from "../../mirakl";

type Json = Record<string, unknown>;

export function miraklLine(overrides: Json = {}): Json {
  return {
    order_line_id: "2087461234-A-1",
    order_line_index: 1,
    order_line_state: "SHIPPING",
    offer_id: 31877,
    offer_sku: "TSHIRT-BLK-M",
    product_sku: "MKP000012345678",
    product_title: "T-shirt coton noir - M",
    quantity: 2,
    price_unit: 19.99,
    price: 39.98,
    shipping_price: 4.99,
    total_price: 44.97,
    taxes: [{ code: "TVA20", amount: 6.66, rate: 20.0, tax_calculation_rule: "PROPORTIONAL_TO_AMOUNT" }],
    shipping_taxes: [{ code: "TVA20", amount: 0.83, rate: 20.0, tax_calculation_rule: "PROPORTIONAL_TO_AMOUNT" }],
    commission_fee: 6.0,
    total_commission: 7.2,
    cancelations: [],
    refunds: [],
    ...overrides,
  };
}

export function miraklOrder(overrides: Json = {}, lines: Json[] = [miraklLine()]): MiraklOrder {
  return miraklOrderSchema.parse({
    order_id: "2087461234-A",
    commercial_id: "2087461234",
    order_state: "SHIPPING",
    created_date: "2025-03-03T09:12:44Z",
    last_updated_date: "2025-03-03T10:02:19Z",
    acceptance_decision_date: "2025-03-03T09:40:02Z",
    customer_debited_date: "2025-03-03T10:02:19.318Z",
    shipping_deadline: "2025-03-06T09:12:44.000Z",
    currency_iso_code: "EUR",
    order_tax_mode: "TAX_INCLUDED",
    customer_notification_email: "x7q2kd9l1ab.f3c0e1d2@notification.mirakl.net",
    shipping_type_code: "STD",
    shipping_type_label: "Standard",
    customer: {
      customer_id: "9843976339460",
      firstname: "Claire",
      lastname: "Martin",
      billing_address: { firstname: "Claire", lastname: "Martin", street_1: "12 rue des Lilas", zip_code: "69003", city: "Lyon", country: "France", country_iso_code: "FRA", phone: "+33 6 12 34 56 78" },
      shipping_address: {
        firstname: "Claire",
        lastname: "Martin",
        street_1: "12 rue des Lilas",
        street_2: "",
        zip_code: "69003",
        city: "Lyon",
        country: "France",
        country_iso_code: "FRA",
        phone: "+33 6 12 34 56 78",
        additional_info: "Code 4512",
      },
    },
    order_lines: lines,
    ...overrides,
  });
}
