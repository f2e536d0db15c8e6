import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createConnection, testConnection, connectionView } from "../../app/sync/connections.server";
import { decryptSecret } from "../../app/lib/crypto.server";
import { setLogSink } from "../../app/lib/logger";
import { shopTimeZone } from "../../app/sync/orders/order-views.server";
import { formatDateTime } from "../../app/components/format";

let h: Harness;
const logLines: string[] = [];

beforeAll(async () => {
  setLogSink((line) => logLines.push(line), "debug");
  h = await startHarness({ connect: false, mirakl: { preset: "joules" } });
});
afterAll(async () => {
  setLogSink((line, level) => (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n"), "warn");
  await h?.close();
});

describe("connecting a marketplace", () => {
  it("explains an invalid address without calling anything", async () => {
    const res = await createConnection({ services: h.services, shop: h.shop, input: { name: "Joules", baseUrl: "joules.mirakl", apiKey: "whatever-123" } });
    expect(res).toMatchObject({ kind: "invalid", fieldErrors: { baseUrl: expect.stringContaining("Mirakl address") } });
  });

  it("explains an unreachable address", async () => {
    const res = await testConnection({ baseUrl: "http://127.0.0.1:9", apiKey: "whatever-123" });
    expect(res.kind).toBe("error");
    if (res.kind === "error") expect(res.message).toMatch(/reach|connect/i);
  });

  it("explains a wrong API key (Mirakl answers 401)", async () => {
    const res = await createConnection({ services: h.services, shop: h.shop, input: { name: "Joules", baseUrl: h.mirakl.url, apiKey: "definitely-wrong-key" } });
    expect(res.kind).toBe("unreachable");
    if (res.kind === "unreachable") expect(res.message).toMatch(/API key/i);
    expect(await h.services.prisma.marketplaceConnection.count()).toBe(0);
  });

  it("connects, reads the marketplace's rules, and stores the key encrypted (never logged, never in the view)", async () => {
    const res = await createConnection({ services: h.services, shop: h.shop, input: { name: "Joules", baseUrl: `${h.mirakl.url}/`, apiKey: h.miraklApiKey } });
    expect(res.kind).toBe("created");
    if (res.kind !== "created") return;
    const c = res.connection;
    expect(c.baseUrl).toBe(h.mirakl.url);
    expect(c.miraklShopName).toBe("Harness Shop");
    expect(c.marketplaceAutoAccepts).toBe(false);
    expect(Array.isArray(c.carriers) && c.carriers.length).toBeGreaterThan(0);
    expect(Array.isArray(c.reasons) && c.reasons.length).toBeGreaterThan(0);
    expect(c.apiKeyEncrypted).not.toContain(h.miraklApiKey);
    expect(decryptSecret(c.apiKeyEncrypted, h.services.env.ENCRYPTION_KEY)).toBe(h.miraklApiKey);
    expect(JSON.stringify(connectionView(c))).not.toContain(h.miraklApiKey);
    expect(JSON.stringify(connectionView(c))).not.toContain(c.apiKeyEncrypted);
    expect(logLines.join("\n")).not.toContain(h.miraklApiKey);
    const dup = await createConnection({ services: h.services, shop: h.shop, input: { name: "Joules", baseUrl: h.mirakl.url, apiKey: h.miraklApiKey } });
    expect(dup.kind).toBe("invalid");
  });

  it("stores the shop's time zone from Shopify, so the screens show dates in the merchant's zone", async () => {
    // The connection above read it (the Shopify simulator's shop is in Europe/Paris); the order screens use it.
    expect((await h.services.prisma.shop.findUniqueOrThrow({ where: { domain: h.shop } })).ianaTimezone).toBe("Europe/Paris");
    expect(await shopTimeZone(h.services.prisma, h.shop)).toBe("Europe/Paris");
    expect(formatDateTime("2026-11-23T07:54:00.000Z", await shopTimeZone(h.services.prisma, h.shop))).toContain("08:54");
  });
});

describe("the Mirakl client against the simulator under faults", () => {
  it("waits out a 429 storm and a 5xx burst on reads and recovers", async () => {
    const c = await h.services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: h.shop } });
    const client = h.services.mirakl(c);
    h.mirakl.control.setFaults({ storm429: { forMs: 1500, retryAfterSeconds: 1 } });
    const started = Date.now();
    const account = await client.getAccount();
    expect(account.shop_name).toBe("Harness Shop");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    h.mirakl.control.clearFaults();
    h.mirakl.control.setFaults({ rate5xx: 0.5 });
    for (let i = 0; i < 10; i++) expect((await client.listCarriers()).length).toBeGreaterThan(0);
    h.mirakl.control.clearFaults();
    const stats = h.mirakl.control.stats() as unknown as { faults?: Record<string, number> };
    expect(stats).toBeTruthy();
  });
});
