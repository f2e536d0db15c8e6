/**
 * Import into Shopify against both simulators: Mirakl's prices, taxes (in the tenant's tax mode) and addresses,
 * exactly once under timeouts and takeovers, unmapped SKUs quarantined then released, the Shopify order name
 * written back to Mirakl (OR04).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { linkOf, openTasks, pollAndDrain, pollNow, shopifyOrdersFor, timeline } from "../support/orders";
import { importOrder, ImportInProgressError } from "../../app/sync/orders/import.server";
import { releaseOrdersHeldForSku } from "../../app/sync/orders/quarantine.server";
import { importOrderJob, writeReferenceJob } from "../../app/jobs/order-jobs.server";
import { isRetryable } from "../../app/lib/errors";

type SimOrder = NonNullable<ReturnType<Harness["mirakl"]["control"]["getOrder"]>>;
type SimLine = SimOrder["order_lines"][number] & { price_unit: number; shipping_price: number; taxes: Array<{ code: string; amount: number; rate: number }>; shipping_taxes: Array<{ code: string; amount: number; rate: number }> };

const num = (v: unknown) => Number(v);
const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

/** The Shopify order carries Mirakl's unit prices, tax amounts, shipping and address exactly. */
function expectMiraklMoney(h: Harness, miraklOrderId: string) {
  const m = h.mirakl.control.getOrder(miraklOrderId)!;
  const [s] = shopifyOrdersFor(h, miraklOrderId);
  expect(s).toBeDefined();
  const lines = m.order_lines.filter((l) => l.order_line_state !== "REFUSED" && l.order_line_state !== "CANCELED") as SimLine[];
  expect(s!.lineItems).toHaveLength(lines.length);
  lines.forEach((l, i) => {
    const li = s!.lineItems[i]!;
    expect(num(li.unitPrice)).toBe(Math.round(l.price_unit * 100) / 100);
    expect(li.quantity).toBe(l.quantity);
    expect(li.tax.map((t) => [t.title, num(t.amount)])).toEqual(l.taxes.map((t) => [t.code, t.amount]));
    expect(li.tax.map((t) => t.rate)).toEqual(l.taxes.map((t) => t.rate / 100));
  });
  expect(num(s!.totals.shipping)).toBe(sum(lines.map((l) => l.shipping_price)));
  expect(num(s!.totals.tax)).toBe(sum(lines.flatMap((l) => [...l.taxes, ...l.shipping_taxes].map((t) => t.amount))));
  const address = (m.customer as { shipping_address: Record<string, string | null> }).shipping_address;
  expect(s!.shippingAddress).toMatchObject({ address1: address.street_1, city: address.city, zip: address.zip_code, lastName: address.lastname });
  expect(s!.shippingAddress?.countryCode).toMatch(/^[A-Z]{2}$/);
  expect(s!.financialStatus).toBe("PAID");
  expect(s!.inventoryBehaviour).toBe("DECREMENT_IGNORING_POLICY");
  expect(s!.sourceIdentifier).toBe(miraklOrderId);
  return { m, s: s! };
}

describe("import on a tax-excluded marketplace (Decathlon preset)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { preset: "decathlon", tenant: { debitDelayMs: 0 } } });
  });
  afterAll(async () => h?.close());

  it("creates the order with taxesIncluded false and Mirakl's tax amounts, for a German address", async () => {
    const c = await h.reloadConnection();
    expect(c.orderTaxMode).toBe("TAX_EXCLUDED");
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOP-NAVY-M", quantity: 3 }, { offerSku: "TOTE", quantity: 1 }], country: "DEU" });
    await pollAndDrain(h, 2);
    const { s, m } = expectMiraklMoney(h, order.order_id);
    expect(s.taxesIncluded).toBe(false);
    expect(s.shippingAddress?.countryCode).toBe("DE");
    expect(s.currency).toBe("EUR");
    // Tax added on top: Shopify's total = lines + shipping + Mirakl's taxes = what the customer paid.
    const lines = m.order_lines as SimLine[];
    const paid = sum(lines.flatMap((l) => [l.price, l.shipping_price, ...l.taxes.map((t) => t.amount), ...l.shipping_taxes.map((t) => t.amount)]));
    expect(num(s.totals.total)).toBe(paid);
    expect(s.lineItems[0]!.tax[0]!.title).toBe("MWST_DE_19");
    const metafields = Object.fromEntries(s.metafields.map((f) => [f.key, f.value]));
    expect(metafields).toMatchObject({ order_id: order.order_id, commercial_id: m.commercial_id, marketplace: "Marketplace", order_tax_mode: "TAX_EXCLUDED" });
    expect(num(metafields.net_amount)).toBe(sum([num(m.total_price), -num(m.total_commission)]));
    expect(s.tags).toEqual(expect.arrayContaining(["mirakl", "Marketplace", `mirakl-${order.order_id}`, `ship-by-${String(m.shipping_deadline).slice(0, 10)}`]));
    // The masked relay address becomes the customer; never opted in to marketing.
    expect(s.email).toBe(m.customer_notification_email);
  });
});

describe("import on a tax-included marketplace (default preset)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { tenant: { debitDelayMs: 0 } } });
  });
  afterAll(async () => h?.close());

  it("imports an order whose unit price and taxes are rounded: a cent of difference does not fail the import", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 3, unitPrice: 3.335 }], country: "FRA" });
    await pollAndDrain(h, 2);
    const link = await linkOf(h, order.order_id);
    expect(link.importStatus).toBe("IMPORTED");
    const { s, m } = expectMiraklMoney(h, order.order_id);
    expect(s.taxesIncluded).toBe(true);
    const line = m.order_lines[0] as SimLine;
    expect(line.price).toBe(10.01); // Mirakl: 3 × 3.335 rounded once
    expect(num(s.totals.subtotal)).toBe(10.02); // Shopify: 3 × 3.34
    const imported = (await timeline(h, link.id)).find((e) => e.kind === "imported")!;
    expect(imported.message).toMatch(/differs by 0\.01 EUR/);
    expect(await openTasks(h, "totals_differ")).toHaveLength(0);
  });

  it("uses the shared marketplace customer when the connection says so", async () => {
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { customerPolicy: "SHARED_CUSTOMER", sharedCustomerEmail: "marketplace-orders@brand.example" } });
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollAndDrain(h, 2);
    expect(shopifyOrdersFor(h, order.order_id)[0]?.email).toBe("marketplace-orders@brand.example");
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { customerPolicy: "NOTIFICATION_EMAIL", sharedCustomerEmail: null } });
  });

  it("writes the Shopify order name back to Mirakl (OR04 order_reference_for_seller), at most once a minute", async () => {
    // The first import queued orders.write-reference, which the drain ran: one OR04 for every order imported then.
    const sent = await h.services.prisma.orderLink.findMany({ where: { importStatus: "IMPORTED", sellerReferenceSent: true } });
    expect(sent.length).toBeGreaterThan(0);
    for (const l of sent) {
      const m = h.mirakl.control.getOrder(l.miraklOrderId)!;
      expect((m.references as { order_reference_for_seller: string | null }).order_reference_for_seller).toBe(l.shopifyOrderName);
    }
    expect(h.mirakl.control.stats().calls.OR04).toBe(1);
    // Orders imported within the same minute wait for the next slot: the job comes back later instead of calling.
    const waiting = await h.services.prisma.orderLink.findMany({ where: { importStatus: "IMPORTED", sellerReferenceSent: false } });
    expect(waiting.length).toBeGreaterThan(0);
    const res = await h.services.jobs.runNow(writeReferenceJob, { shop: h.shop, connectionId: h.connection!.id });
    expect(res).toMatchObject({ kind: "paced" });
    expect((res as { retryInSeconds: number }).retryInSeconds).toBeGreaterThan(30);
    expect(h.mirakl.control.stats().calls.OR04).toBe(1);
    const events = await h.services.prisma.syncEvent.findMany({ where: { entityType: "connection", kind: "seller_references_sent" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toMatch(/Sent Shopify order names to Marketplace for \d+ order\(s\)/);
  });

  it("never creates a second Shopify order after an orderCreate that applied but timed out", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOP-NAVY-M", quantity: 1 }] });
    await pollNow(h); // accepted
    await pollNow(h); // SHIPPING: READY, import queued
    const link = await linkOf(h, order.order_id);
    expect(link.importStatus).toBe("READY");
    h.shopify.control.setFaults({ applyThenTimeoutRate: 1, operations: ["orderCreate"] });
    // The Admin client gives up after its 30 s timeout: the order exists in Shopify, we do not know it.
    const err = await importOrder({ services: h.services, orderLinkId: link.id }).catch((e: unknown) => e);
    h.shopify.control.setFaults({ applyThenTimeoutRate: 0, operations: [] });
    expect(isRetryable(err)).toBe(true);
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
    expect((await linkOf(h, order.order_id)).importStatus).toBe("FAILED");
    // The retry looks the order up by its Mirakl id before creating anything, and links it.
    const creates = h.shopify.control.stats().byRootField.orderCreate ?? 0;
    const res = await h.services.jobs.runNow(importOrderJob, { shop: h.shop, connectionId: h.connection!.id, orderLinkId: link.id });
    expect(res).toMatchObject({ kind: "imported", created: false });
    expect(h.shopify.control.stats().byRootField.orderCreate ?? 0).toBe(creates);
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
    const after = await linkOf(h, order.order_id);
    expect(after).toMatchObject({ importStatus: "IMPORTED", shopifyOrderName: shopifyOrdersFor(h, order.order_id)[0]!.name, importAttempts: 2 });
    expect((await timeline(h, link.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(["import_retry", "imported"]));
  }, 90_000);

  it("lets only one worker import at a time, takes over a crashed worker's stale claim, and Shopify's unique id stops a late duplicate", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 2 }] });
    await pollNow(h);
    await pollNow(h);
    const link = await linkOf(h, order.order_id);
    // Two workers at once: exactly one creates the order; the other is either told the import is in progress
    // (its claim lost: retried later) or, when the first finished before it looked (PostgreSQL interleaves them,
    // PGlite serialises), finds it already imported.
    const results = await Promise.allSettled([importOrder({ services: h.services, orderLinkId: link.id }), importOrder({ services: h.services, orderLinkId: link.id })]);
    const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof importOrder>>> => r.status === "fulfilled").map((r) => r.value);
    const busy = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok.filter((v) => v.kind === "imported" && v.created)).toHaveLength(1);
    expect(ok.length + busy.length).toBe(2);
    for (const v of ok) expect(["imported", "already_imported"]).toContain(v.kind);
    for (const r of busy) expect(r.reason).toBeInstanceOf(ImportInProgressError);
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);

    // A worker died mid-import long ago (claim left behind, order already in Shopify, attempt count lost):
    await h.services.prisma.orderLink.update({ where: { id: link.id }, data: { importStatus: "IMPORTING", importClaim: "dead-worker", importClaimedAt: new Date(Date.now() - 10 * 60_000), importAttempts: 0, shopifyOrderId: null } });
    const res = await importOrder({ services: h.services, orderLinkId: link.id });
    expect(res).toMatchObject({ kind: "imported", created: false });
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);

    // Even with no lookup at all (first attempt as far as we know), Shopify's unique metafield refuses a second order.
    await h.services.prisma.orderLink.update({ where: { id: link.id }, data: { importStatus: "READY", importClaim: null, importAttempts: 0, shopifyOrderId: null } });
    const again = await importOrder({ services: h.services, orderLinkId: link.id });
    expect(again).toMatchObject({ kind: "imported", created: false });
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
  });
});

describe("unmapped SKUs (B&Q preset: accepted by the marketplace, so the import is where the SKU is checked)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { preset: "bandq", tenant: { debitDelayMs: 0 } } });
  });
  afterAll(async () => h?.close());

  it("quarantines the whole order with a Task naming the SKU, and mapping the SKU releases it", async () => {
    const c = h.connection!;
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }, { offerSku: "BQ-LAMP-NEW", quantity: 1, unitPrice: 24 }] });
    const second = h.mirakl.control.createOrder({ lines: [{ offerSku: "BQ-LAMP-NEW", quantity: 2, unitPrice: 24 }] });
    await pollAndDrain(h);
    const held = await linkOf(h, order.order_id);
    expect(held.importStatus).toBe("HELD");
    expect(held.holdReason).toBe("UNMAPPED_SKU: BQ-LAMP-NEW");
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(0); // nothing half-imported
    const [task] = await openTasks(h, "unmapped_sku");
    expect(task).toMatchObject({
      dedupeKey: `unmapped-sku:${c.id}:BQ-LAMP-NEW`,
      actionUrl: `/app/skus?connection=${c.id}&q=BQ-LAMP-NEW`,
      severity: "critical",
    });
    expect(task!.title).toContain("BQ-LAMP-NEW");
    expect(task!.body).toContain("2 paid Marketplace order(s)");
    // Polling again changes nothing: still held, still one task.
    await pollAndDrain(h);
    expect(await openTasks(h, "unmapped_sku")).toHaveLength(1);

    // The merchant links the SKU to the tote (the SKU mapping screen writes the row, then calls release).
    const tote = h.catalogue.variants.TOTE!;
    await h.services.prisma.skuMapping.upsert({
      where: { connectionId_offerSku: { connectionId: c.id, offerSku: "BQ-LAMP-NEW" } },
      update: { shopifyVariantId: tote.variantId, shopifyInventoryItemId: tote.inventoryItemId, matchStatus: "MATCHED", source: "MANUAL" },
      create: { connectionId: c.id, offerSku: "BQ-LAMP-NEW", shopifyVariantId: tote.variantId, shopifyInventoryItemId: tote.inventoryItemId, matchStatus: "MATCHED", source: "MANUAL" },
    });
    const released = await releaseOrdersHeldForSku({ services: h.services, connectionId: c.id, offerSku: "BQ-LAMP-NEW" });
    expect(released).toEqual({ kind: "released", importsResumed: 2, acceptanceRedecided: 0 });
    expect(await openTasks(h, "unmapped_sku")).toHaveLength(0);
    await h.drain();
    expect(shopifyOrdersFor(h, order.order_id)[0]?.lineItems.map((l) => [l.sku, l.quantity])).toEqual([["TOTE", 1], ["TOTE", 1]]);
    expect(shopifyOrdersFor(h, second.order_id)).toHaveLength(1);
    expect((await linkOf(h, order.order_id)).importStatus).toBe("IMPORTED");
    expect((await timeline(h, held.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(["held", "released", "imported"]));
  });
});
