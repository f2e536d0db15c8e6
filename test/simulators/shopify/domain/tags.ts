/** tagsAdd / tagsRemove on orders, products and customers. Changing an order's tags fires orders/updated. */
import { parseGid } from "../ids";
import type { ShopRec } from "../model";
import type { SimStore } from "../store";
import { orderPayload } from "../webhooks/payloads";
import { normalizeTags } from "./order-create";
import { fail, ok, type Outcome } from "./user-error";

function splitTags(tags: string[]): string[] {
  // Shopify accepts "a, b" inside one element as well.
  return tags.flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
}

export function changeTags(
  store: SimStore,
  shop: ShopRec,
  input: { id: string; tags: string[]; mode: "add" | "remove" },
): Outcome<{ id: string; type: string }> {
  const parsed = parseGid(input.id);
  const target =
    parsed?.type === "Order"
      ? shop.orders.get(parsed.id)
      : parsed?.type === "Product"
        ? shop.products.get(parsed.id)
        : parsed?.type === "Customer"
          ? shop.customers.get(parsed.id)
          : undefined;
  if (!parsed || !target) return fail("Node does not exist or does not support tags.", ["id"]);
  const tags = splitTags(input.tags);
  if (tags.length === 0) return fail("Tags can't be blank.", ["tags"]);
  const before = target.tags.join("\u0000");
  if (input.mode === "add") target.tags = normalizeTags([...target.tags, ...tags]);
  else {
    const drop = new Set(tags.map((t) => t.toLowerCase()));
    target.tags = target.tags.filter((t) => !drop.has(t.toLowerCase()));
  }
  if (target.tags.join("\u0000") !== before) {
    target.updatedAt = store.now();
    if (parsed.type === "Order" && shop.orders.has(parsed.id)) {
      const order = shop.orders.get(parsed.id);
      if (order) store.emit(shop, "orders/updated", orderPayload(shop, order));
    }
  }
  return ok({ id: input.id, type: parsed.type });
}
