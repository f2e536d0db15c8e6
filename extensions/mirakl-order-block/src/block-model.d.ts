/** Types of block-model.js (the extension is plain JS, as Shopify's 2026 Preact templates are). */
export interface OrderBlockApiData {
  kind: "mirakl" | "not_mirakl";
  marketplace?: string;
  miraklOrderId?: string;
  miraklCommercialId?: string | null;
  miraklState?: string;
  acceptanceDeadline?: string | null;
  shippingDeadline?: string | null;
  commission?: string | null;
  currency?: string | null;
  replacedBy?: { id: string; name: string | null } | null;
  openTasks?: Array<{ id: string; title: string; severity: string; actionUrl: string | null }>;
  refunds?: Array<{ id: string; status: string; statusLabel: string; amount: string | null; url: string }>;
  appUrls?: { tasks: string; refunds: string };
}

export type BlockModel =
  | { kind: "hidden" }
  | {
      kind: "order";
      heading: string;
      stateLabel: string;
      stateTone: string;
      facts: Array<{ label: string; value: string }>;
      tasks: Array<{ id: string; title: string; tone: string; href: string | null }>;
      refunds: Array<{ id: string; label: string; href: string }>;
      replacedBy: string | null;
      refundsHref: string;
      canFlag: boolean;
    };

export function formatDate(iso: string | null | undefined): string;
export function formatMoney(amount: string | number | null | undefined, currency: string | null | undefined): string;
export function deadlineHint(iso: string | null | undefined, now?: Date): string | null;
export function appLink(path: string): string;
export function describeBlock(data: unknown, now?: Date): BlockModel;
export function flagRequest(orderId: string, note: string | null | undefined): { orderId: string; note?: string };
