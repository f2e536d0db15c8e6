/**
 * OR28/OR30 amounts are "interpreted in the request's order_tax_mode" (notes §5 gotcha 7) while the simulator
 * stores amounts in the order's own mode; this converts one requested part (product or shipping) and works out
 * its taxes: the ones sent, or proportional ones when the caller may omit them (PROPORTIONAL_TO_AMOUNT).
 */
import { roundCents, sumAmounts } from "./money";
import { badRequest } from "./sim-errors";
import type { AmountTax, TaxMode } from "./types";

export interface RequestedTax {
  code?: string;
  amount?: number;
}

export function resolveRequestedPart({
  lineId,
  part,
  amount,
  givenTaxes,
  lineTaxes,
  lineAmount,
  requestMode,
  orderMode,
  taxesMandatory,
}: {
  lineId: string;
  part: "taxes" | "shipping_taxes";
  amount: number;
  givenTaxes: RequestedTax[] | undefined;
  lineTaxes: readonly AmountTax[];
  lineAmount: number;
  requestMode: TaxMode;
  orderMode: TaxMode;
  taxesMandatory: boolean;
}): { stored: number; taxes: AmountTax[] } {
  const lineHasTax = lineTaxes.some((t) => t.amount > 0);
  const given = givenTaxes && givenTaxes.length > 0 ? givenTaxes : undefined;
  if (!given && taxesMandatory && lineHasTax && amount > 0) {
    // Tax calculation rule NONE: Mirakl refunds/cancels no tax unless told how much (OR11 tax_calculation_rule doc).
    throw badRequest(`The field ${part} is mandatory for order line '${lineId}': its taxes use the calculation rule NONE.`, "TAXES_REQUIRED");
  }
  let taxes: AmountTax[];
  if (given) {
    taxes = given.map((t) => {
      const onLine = lineTaxes.find((l) => l.code === t.code);
      if (!onLine) throw badRequest(`The tax code '${String(t.code)}' does not apply to order line '${lineId}'.`, "TAX_CODE_UNKNOWN");
      const value = Number(t.amount);
      if (!Number.isFinite(value) || value < 0) throw badRequest(`Invalid tax amount for '${onLine.code}' on order line '${lineId}'.`);
      return { code: onLine.code, rate: onLine.rate, amount: roundCents(value) };
    });
  } else if (requestMode === orderMode) {
    taxes = lineTaxes.map((t) => ({ code: t.code, rate: t.rate, amount: lineAmount > 0 ? roundCents((t.amount * amount) / lineAmount) : 0 }));
  } else if (requestMode === "TAX_EXCLUDED") {
    taxes = lineTaxes.map((t) => ({ code: t.code, rate: t.rate, amount: roundCents((amount * t.rate) / 100) }));
  } else {
    taxes = lineTaxes.map((t) => ({ code: t.code, rate: t.rate, amount: roundCents((amount * t.rate) / (100 + t.rate)) }));
  }
  const taxTotal = sumAmounts(taxes);
  const stored = requestMode === orderMode ? amount : requestMode === "TAX_EXCLUDED" ? roundCents(amount + taxTotal) : roundCents(amount - taxTotal);
  return { stored, taxes };
}

export function assertTaxesWithin({ lineId, taxes, remaining }: { lineId: string; taxes: readonly AmountTax[]; remaining: readonly AmountTax[] }): void {
  for (const t of taxes) {
    const left = remaining.find((r) => r.code === t.code)?.amount ?? 0;
    if (t.amount > left + 0.005) {
      throw badRequest(`The tax amount ${t.amount} for '${t.code}' exceeds the remaining ${left} on order line '${lineId}'.`, "TAX_AMOUNT_EXCEEDED");
    }
  }
}
