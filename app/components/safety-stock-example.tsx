import { BlockStack, Text } from "@shopify/polaris";
import { computeQuantity, type SafetyStockMode } from "../sync/safety-stock";

/** The worked example under the buffer setting, computed by the same rule the stock push uses. */
export function SafetyStockExample({ mode, value }: { mode: string; value: number }) {
  const m = (["FIXED", "PERCENT", "HOLD_BACK_LAST"].includes(mode) ? mode : "FIXED") as SafetyStockMode;
  const examples = [
    [12, 8],
    [3, 0],
    [1, 0],
  ].map((locs) => ({ locs, r: computeQuantity({ availableByLocation: locs, mode: m, value, mapped: true, tracked: true }) }));
  const rule =
    m === "FIXED"
      ? `available minus ${value}`
      : m === "PERCENT"
        ? `available minus ${value}% of it (rounded up)`
        : `available, or 0 once only ${value} or fewer remain`;
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        The marketplace is offered {rule}, never less than 0. For example:
      </Text>
      {examples.map(({ locs, r }) => (
        <Text as="p" variant="bodySm" key={locs.join("+")}>
          {locs.join(" + ")} available = {r.total} → offered <strong>{r.quantity}</strong>
        </Text>
      ))}
    </BlockStack>
  );
}
