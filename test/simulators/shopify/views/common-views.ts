/** Small shared views: money, counts, addresses, metafields. */
import { gid, idOf } from "../ids";
import { formatDecimal, type Money } from "../money";
import type { AddressRec, MetafieldDefinitionRec, MetafieldRec, MoneyPair } from "../model";
import { connection, type PageArgs } from "../connection";
import { digestOf, findMetafield, metafieldsOf, resolveNamespace } from "../domain/metafields";
import { gqlTime } from "../time";
import { nodeView } from "./node-views";
import type { ViewCtx } from "./view-context";

export function moneyV2(m: Money) {
  return { amount: formatDecimal(m), currencyCode: m.currency };
}

export function moneyBag(p: MoneyPair) {
  return { shopMoney: moneyV2(p.shop), presentmentMoney: moneyV2(p.presentment) };
}

export function count(n: number) {
  return { count: n, precision: "EXACT" };
}

export function legacyId(id: number): string {
  // UnsignedInt64 is serialized as a string by Shopify.
  return String(id);
}

export function mailingAddressView(a: AddressRec | null, ownerId: number) {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ");
  const formattedLines = [a.company, a.address1, a.address2, [a.zip, a.city].filter(Boolean).join(" "), a.countryCode].filter(
    (x): x is string => Boolean(x),
  );
  return {
    __typename: "MailingAddress",
    id: `${gid("MailingAddress", ownerId)}?model_name=Address`,
    firstName: a.firstName,
    lastName: a.lastName,
    name: name || null,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.provinceCode,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country: a.countryCode,
    countryCodeV2: a.countryCode,
    phone: a.phone,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    timeZone: null,
    validationResultSummary: null,
    formattedArea: [a.city, a.provinceCode, a.countryCode].filter(Boolean).join(", ") || null,
    formatted: (args: { withName?: boolean; withCompany?: boolean }) => [
      ...(args.withName && name ? [name] : []),
      ...formattedLines.filter((l) => args.withCompany !== false || l !== a.company),
    ],
  };
}

const OWNER_TYPES: Record<string, string> = {
  Order: "ORDER",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  Customer: "CUSTOMER",
  Location: "LOCATION",
  Shop: "SHOP",
};

export function metafieldView(ctx: ViewCtx, m: MetafieldRec) {
  const ownerType = m.ownerId.split("/")[3] ?? "";
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    legacyResourceId: legacyId(m.id),
    namespace: m.namespace,
    key: m.key,
    value: m.value,
    type: m.type,
    get jsonValue(): unknown {
      if (m.type === "json" || m.type.startsWith("list.")) {
        try {
          return JSON.parse(m.value);
        } catch {
          return m.value;
        }
      }
      if (m.type === "number_integer" || m.type === "number_decimal") return Number(m.value);
      if (m.type === "boolean") return m.value === "true";
      return m.value;
    },
    compareDigest: digestOf(m),
    createdAt: gqlTime(m.createdAt),
    updatedAt: gqlTime(m.updatedAt),
    ownerType: OWNER_TYPES[ownerType] ?? "ORDER",
    owner: () => nodeView(ctx, m.ownerId),
    definition: null,
    reference: null,
  };
}

/** `metafield(namespace, key)` and `metafields(namespace, keys, first, ...)` for any owner. */
export function metafieldFields(ctx: ViewCtx, ownerId: string) {
  return {
    metafield: (args: { namespace?: string | null; key: string }) => {
      // `key` may be "namespace.key" when namespace is omitted.
      let namespace = args.namespace;
      let key = args.key;
      if (!namespace && key.includes(".")) {
        namespace = key.slice(0, key.lastIndexOf("."));
        key = key.slice(key.lastIndexOf(".") + 1);
      }
      const m = findMetafield(ctx.shop, ownerId, resolveNamespace(ctx.store, namespace), key);
      return m ? metafieldView(ctx, m) : null;
    },
    metafields: (args: PageArgs & { namespace?: string | null; keys?: string[] | null }) => {
      let list = metafieldsOf(ctx.shop, ownerId);
      if (args.namespace) {
        const ns = resolveNamespace(ctx.store, args.namespace);
        list = list.filter((m) => m.namespace === ns);
      }
      if (args.keys) {
        const keys = new Set(args.keys);
        list = list.filter((m) => keys.has(`${m.namespace}.${m.key}`));
      }
      return connection(list, args, { id: (m) => m.id, view: (m) => metafieldView(ctx, m), unbounded: ctx.unbounded });
    },
  };
}

export function numericId(value: string, type: Parameters<typeof idOf>[1]): number | null {
  return idOf(value, type);
}

export function metafieldDefinitionView(ctx: ViewCtx, d: MetafieldDefinitionRec) {
  return {
    __typename: "MetafieldDefinition",
    id: gid("MetafieldDefinition", d.id),
    namespace: d.namespace,
    key: d.key,
    name: d.name,
    description: d.description,
    ownerType: d.ownerType,
    type: { name: d.type, category: d.type.startsWith("number") ? "NUMBER" : "TEXT", supportedValidations: [], supportsDefinitionMigrations: false },
    pinnedPosition: null,
    validations: [],
    validationStatus: "ALL_VALID",
    useAsCollectionCondition: false,
    standardTemplate: null,
    constraints: null,
    capabilities: {
      uniqueValues: { eligible: true, enabled: d.uniqueValues },
      adminFilterable: { eligible: true, enabled: false, status: "NOT_FILTERABLE" },
      smartCollectionCondition: { eligible: false, enabled: false },
      analyticsQueryable: { eligible: false, enabled: false },
      cartToOrderCopyable: { eligible: false, enabled: false },
    },
    get metafieldsCount() {
      return [...ctx.shop.metafields.values()].filter((m) => m.namespace === d.namespace && m.key === d.key).length;
    },
  };
}
