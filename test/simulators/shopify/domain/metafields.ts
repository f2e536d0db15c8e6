/**
 * Metafields on orders and other owners; metafieldsSet semantics from notes.md §4.6: at most 25 per call, atomic
 * (one bad row rejects all), `compareDigest` compare-and-set (a stale digest, or null when the metafield exists,
 * gives STALE_OBJECT), `type` required unless the metafield already exists.
 */
import { createHash } from "node:crypto";
import { gid, parseGid } from "../ids";
import type { MetafieldDefinitionRec, MetafieldRec, ShopRec } from "../model";
import type { SimStore } from "../store";
import { failMany, fail, ok, type Outcome, type UserErr } from "./user-error";

export const METAFIELDS_SET_LIMIT = 25;

export function digestOf(m: MetafieldRec): string {
  return createHash("sha256").update(`${m.id}\u0000${m.type}\u0000${m.value}`).digest("hex");
}

/** Whether a GID names something of this shop that can own metafields. */
export function ownerExists(shop: ShopRec, ownerId: string): boolean {
  const parsed = parseGid(ownerId);
  if (!parsed) return false;
  switch (parsed.type) {
    case "Order":
      return shop.orders.has(parsed.id);
    case "Product":
      return shop.products.has(parsed.id);
    case "ProductVariant":
      return shop.variants.has(parsed.id);
    case "Customer":
      return shop.customers.has(parsed.id);
    case "Location":
      return shop.locations.has(parsed.id);
    case "Shop":
      return parsed.id === shop.id;
    default:
      return false;
  }
}

export function findMetafield(shop: ShopRec, ownerId: string, namespace: string, key: string): MetafieldRec | undefined {
  for (const m of shop.metafields.values()) {
    if (m.ownerId === ownerId && m.namespace === namespace && m.key === key) return m;
  }
  return undefined;
}

export function metafieldsOf(shop: ShopRec, ownerId: string): MetafieldRec[] {
  return [...shop.metafields.values()].filter((m) => m.ownerId === ownerId);
}

/** `namespace` omitted means the app-reserved namespace, which Shopify stores as app--<app id>. */
export function resolveNamespace(store: SimStore, namespace: string | null | undefined): string {
  if (!namespace || namespace === "$app") return `app--${store.appId}`;
  return namespace.replace(/^\$app:/, `app--${store.appId}--`);
}

function validValue(type: string, value: string): boolean {
  switch (type) {
    case "number_integer":
      return /^-?\d+$/.test(value);
    case "number_decimal":
      return /^-?\d+(\.\d+)?$/.test(value);
    case "boolean":
      return value === "true" || value === "false";
    case "json":
      try {
        JSON.parse(value);
        return true;
      } catch {
        return false;
      }
    default:
      return true;
  }
}

const OWNER_TYPE_OF_GID: Record<string, string> = {
  Order: "ORDER",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  Customer: "CUSTOMER",
  Location: "LOCATION",
  Shop: "SHOP",
};

export function ownerTypeOf(ownerId: string): string | null {
  const parsed = parseGid(ownerId);
  return parsed ? (OWNER_TYPE_OF_GID[parsed.type] ?? null) : null;
}

export function definitionFor(shop: ShopRec, ownerType: string | null, namespace: string, key: string): MetafieldDefinitionRec | undefined {
  for (const d of shop.metafieldDefinitions.values()) {
    if (d.ownerType === ownerType && d.namespace === namespace && d.key === key) return d;
  }
  return undefined;
}

/** A definition with unique values refuses a value another owner already holds. */
export function violatesUniqueness(shop: ShopRec, ownerId: string, namespace: string, key: string, value: string): boolean {
  const def = definitionFor(shop, ownerTypeOf(ownerId), namespace, key);
  if (!def?.uniqueValues) return false;
  for (const m of shop.metafields.values()) {
    if (m.namespace === namespace && m.key === key && m.value === value && m.ownerId !== ownerId && ownerTypeOf(m.ownerId) === def.ownerType) {
      return true;
    }
  }
  return false;
}

export interface DefinitionInput {
  namespace?: string | null;
  key: string;
  name: string;
  description?: string | null;
  ownerType: string;
  type: string;
  capabilities?: { uniqueValues?: { enabled: boolean } | null } | null;
}

export function createDefinition(store: SimStore, shop: ShopRec, input: DefinitionInput): Outcome<MetafieldDefinitionRec> {
  const namespace = resolveNamespace(store, input.namespace);
  if (input.key.length < 2) return fail("Key is too short (minimum is 2 characters)", ["definition", "key"], "TOO_SHORT");
  if (definitionFor(shop, input.ownerType, namespace, input.key)) {
    return fail("Key is in use for Order metafields on the 'namespace' namespace.", ["definition", "key"], "TAKEN");
  }
  const rec: MetafieldDefinitionRec = {
    id: store.ids.next(),
    namespace,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    ownerType: input.ownerType,
    type: input.type,
    uniqueValues: input.capabilities?.uniqueValues?.enabled ?? false,
    createdAt: store.now(),
  };
  shop.metafieldDefinitions.set(rec.id, rec);
  return ok(rec);
}

export interface SetMetafieldInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  value: string;
  type?: string | null;
  compareDigest?: string | null;
}

/** Writes one metafield without validation (callers validated); returns the record. */
export function setMetafield(store: SimStore, shop: ShopRec, input: SetMetafieldInput): MetafieldRec {
  const namespace = resolveNamespace(store, input.namespace);
  const existing = findMetafield(shop, input.ownerId, namespace, input.key);
  const t = store.now();
  if (existing) {
    existing.value = input.value;
    existing.type = input.type ?? existing.type;
    existing.updatedAt = t;
    return existing;
  }
  const rec: MetafieldRec = {
    id: store.ids.next(),
    ownerId: input.ownerId,
    namespace,
    key: input.key,
    value: input.value,
    type: input.type ?? "single_line_text_field",
    createdAt: t,
    updatedAt: t,
  };
  shop.metafields.set(rec.id, rec);
  return rec;
}

export function metafieldsSet(store: SimStore, shop: ShopRec, inputs: SetMetafieldInput[]): Outcome<MetafieldRec[]> {
  if (inputs.length > METAFIELDS_SET_LIMIT) {
    return fail(`Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`, ["metafields"], "LESS_THAN_OR_EQUAL_TO");
  }
  const errors: UserErr[] = [];
  inputs.forEach((m, i) => {
    const field = (name: string) => ["metafields", String(i), name];
    if (!ownerExists(shop, m.ownerId)) {
      errors.push({ field: field("ownerId"), message: "Owner does not exist.", code: "INVALID", elementIndex: i });
      return;
    }
    if (m.key.length < 2) errors.push({ field: field("key"), message: "Key is too short (minimum is 2 characters)", code: "TOO_SHORT", elementIndex: i });
    if (m.key.length > 64) errors.push({ field: field("key"), message: "Key is too long (maximum is 64 characters)", code: "TOO_LONG", elementIndex: i });
    const existing = findMetafield(shop, m.ownerId, resolveNamespace(store, m.namespace), m.key);
    const type = m.type ?? existing?.type;
    if (!type) {
      errors.push({ field: field("type"), message: "Type can't be blank", code: "BLANK", elementIndex: i });
      return;
    }
    if (violatesUniqueness(shop, m.ownerId, resolveNamespace(store, m.namespace), m.key, m.value)) {
      errors.push({ field: field("value"), message: "Value has already been taken", code: "TAKEN", elementIndex: i });
    }
    if (!validValue(type, m.value)) {
      errors.push({ field: field("value"), message: `Value is invalid for type ${type}.`, code: "INVALID_VALUE", elementIndex: i });
    }
    if ("compareDigest" in m && m.compareDigest !== undefined) {
      const stale = m.compareDigest === null ? existing !== undefined : !existing || digestOf(existing) !== m.compareDigest;
      if (stale) {
        errors.push({
          field: field("compareDigest"),
          message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
          code: "STALE_OBJECT",
          elementIndex: i,
        });
      }
    }
  });
  if (errors.length) return failMany(errors);
  return ok(inputs.map((m) => setMetafield(store, shop, m)));
}

export function ownerGidOfOrder(orderId: number): string {
  return gid("Order", orderId);
}
