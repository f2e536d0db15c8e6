import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ISO3_TO_ISO2, toShopifyCountry } from "./country-codes";

/** Shopify's own CountryCode enum, from the Admin 2026-04 introspection checked into test/fixtures/vendor. */
function shopifyCountryCodes(): Set<string> {
  const raw = JSON.parse(gunzipSync(readFileSync(new URL("../../../test/fixtures/vendor/admin_2026-04.json.gz", import.meta.url))).toString("utf8")) as {
    data?: { __schema: { types: Array<{ name: string; enumValues?: Array<{ name: string }> | null }> } };
    __schema?: { types: Array<{ name: string; enumValues?: Array<{ name: string }> | null }> };
  };
  const schema = raw.data?.__schema ?? raw.__schema;
  const type = schema?.types.find((t) => t.name === "CountryCode");
  return new Set((type?.enumValues ?? []).map((e) => e.name));
}

describe("ISO 3166 alpha-3 → Shopify country", () => {
  it("covers every ISO 3166-1 country (249) with distinct two-letter codes", () => {
    const iso = Object.entries(ISO3_TO_ISO2).filter(([k]) => k !== "XKX" && k !== "ANT");
    expect(iso).toHaveLength(249);
    for (const [alpha3, alpha2] of Object.entries(ISO3_TO_ISO2)) {
      expect(alpha3).toMatch(/^[A-Z]{3}$/);
      expect(alpha2).toMatch(/^[A-Z]{2}$/);
    }
    expect(new Set(Object.values(ISO3_TO_ISO2)).size).toBe(Object.keys(ISO3_TO_ISO2).length);
  });

  it("maps the marketplaces' usual countries", () => {
    expect(toShopifyCountry("FRA")).toEqual({ countryCode: "FR" });
    expect(toShopifyCountry("GBR")).toEqual({ countryCode: "GB" });
    expect(toShopifyCountry("DEU")).toEqual({ countryCode: "DE" });
    expect(toShopifyCountry("ESP")).toEqual({ countryCode: "ES" });
    expect(toShopifyCountry("ITA")).toEqual({ countryCode: "IT" });
    expect(toShopifyCountry("NLD")).toEqual({ countryCode: "NL" });
    expect(toShopifyCountry("BEL")).toEqual({ countryCode: "BE" });
    expect(toShopifyCountry("IRL")).toEqual({ countryCode: "IE" });
    expect(toShopifyCountry("CHE")).toEqual({ countryCode: "CH" });
    expect(toShopifyCountry("USA")).toEqual({ countryCode: "US" });
    expect(toShopifyCountry("fra")).toEqual({ countryCode: "FR" });
    expect(toShopifyCountry("FR")).toEqual({ countryCode: "FR" });
  });

  it("turns US territories into US provinces and refuses what Shopify has no country for", () => {
    expect(toShopifyCountry("PRI")).toEqual({ countryCode: "US", provinceCode: "PR" });
    expect(toShopifyCountry("GUM")).toEqual({ countryCode: "US", provinceCode: "GU" });
    expect(toShopifyCountry("VIR")).toEqual({ countryCode: "US", provinceCode: "VI" });
    expect(toShopifyCountry("ATA")).toBeNull();
    expect(toShopifyCountry("XYZ")).toBeNull();
    expect(toShopifyCountry("")).toBeNull();
    expect(toShopifyCountry(null)).toBeNull();
  });

  it("only ever produces codes that Shopify's CountryCode enum accepts", () => {
    const accepted = shopifyCountryCodes();
    expect(accepted.size).toBeGreaterThan(200);
    for (const alpha3 of Object.keys(ISO3_TO_ISO2)) {
      const c = toShopifyCountry(alpha3);
      if (c === null) continue;
      expect(accepted.has(c.countryCode), `${alpha3} → ${c.countryCode}`).toBe(true);
    }
  });
});
