import { Text } from "@shopify/polaris";

/**
 * One offer's quantity, worked out the way the stock push computes it (app/sync/safety-stock.ts): available per
 * chosen location, their total, the buffer, and what the marketplace should show.
 */
export function StockComputation({
  levels,
  total,
  buffer,
  expected,
  reason,
}: {
  levels: { name: string; available: number }[];
  total: number;
  buffer: number;
  expected: number;
  reason: string;
}) {
  if (reason === "unmapped") return <Text as="span">No Shopify variant mapped → should show 0</Text>;
  if (reason === "untracked") return <Text as="span">Shopify does not track this variant&apos;s stock → should show 0</Text>;
  if (reason === "no_location") return <Text as="span">Not stocked at the chosen locations → should show 0</Text>;
  const parts = levels.map((l) => `${l.name} ${l.available}`).join(" + ");
  return (
    <Text as="span">
      {parts}
      {levels.length > 1 ? ` = ${total}` : ""} − buffer {buffer} → should show <strong>{expected}</strong>
    </Text>
  );
}
