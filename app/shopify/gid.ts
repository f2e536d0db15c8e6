import { ValidationError } from "../lib/errors";

/**
 * Branded ids. A Shopify GID and a Mirakl order id are both strings; mixing them up would create an order
 * link to nowhere, so the type system keeps them apart (design/README §3, "branded ids").
 */
declare const gidBrand: unique symbol;
declare const shopBrand: unique symbol;

/** `gid://shopify/<Type>/<id>`; the type parameter documents which resource is expected. */
export type ShopifyGid<T extends string = string> = string & { readonly [gidBrand]: T };
/** `<name>.myshopify.com`, lower-case. */
export type ShopDomain = string & { readonly [shopBrand]: true };

const GID_RE = /^gid:\/\/shopify\/([A-Za-z][A-Za-z0-9]*)\/([^/?\s]+)(\?.*)?$/;

export function toGid<T extends string>(type: T, id: string | number | bigint): ShopifyGid<T> {
  const raw = String(id);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(type)) throw new ValidationError(`Invalid Shopify resource type "${type}"`);
  if (!/^[0-9]+$/.test(raw)) throw new ValidationError(`Invalid numeric Shopify id "${raw}" for ${type}`);
  return `gid://shopify/${type}/${raw}` as ShopifyGid<T>;
}

export function fromGid(gid: string): { type: string; id: string } {
  const m = GID_RE.exec(gid);
  if (!m || !m[1] || !m[2]) throw new ValidationError(`Not a Shopify GID: "${gid}"`);
  return { type: m[1], id: m[2] };
}

export function isGid(value: unknown, type?: string): value is ShopifyGid {
  if (typeof value !== "string") return false;
  const m = GID_RE.exec(value);
  return m !== null && (type === undefined || m[1] === type);
}

/** Parse a GID we received (from a webhook, our database) and check its resource type. */
export function asGid<T extends string>(value: string, type: T): ShopifyGid<T> {
  const parsed = fromGid(value);
  if (parsed.type !== type) throw new ValidationError(`Expected a ${type} GID, got "${value}"`);
  return value as ShopifyGid<T>;
}

/**
 * Same resource, other type: an order edit addresses line items as CalculatedLineItem with the numeric id
 * of the LineItem (observed behaviour of orderEditBegin; notes §4.2 "calculated line item!").
 */
export function retypeGid<T extends string>(gid: string, type: T): ShopifyGid<T> {
  return `gid://shopify/${type}/${fromGid(gid).id}` as ShopifyGid<T>;
}

const SHOP_RE = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The access token is sent to https://<shop>/..., so the shop must be a myshopify.com host and nothing
 * else (no path, port, userinfo); otherwise a tampered value would leak the token to another server.
 */
export function parseShopDomain(value: string): ShopDomain {
  const v = value.trim().toLowerCase();
  if (!SHOP_RE.test(v)) throw new ValidationError(`Not a myshopify.com shop domain: "${value}"`);
  return v as ShopDomain;
}

export function isShopDomain(value: unknown): value is ShopDomain {
  return typeof value === "string" && SHOP_RE.test(value);
}
