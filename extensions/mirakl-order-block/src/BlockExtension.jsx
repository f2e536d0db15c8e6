import { Fragment, render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { describeBlock, flagRequest } from "./block-model.js";

// Admin block on the order details page (target admin.order-details.block.render, API 2026-04): the Mirakl side
// of an imported marketplace order. fetch() to a relative URL goes to the app (app_url) with the session token
// added by the admin; app/routes/api.order-block.tsx answers.
export default async () => {
  render(<Extension />, document.body);
};

function Extension() {
  const orderId = shopify.data.selected?.[0]?.id;
  const [load, setLoad] = useState({ status: "loading" });
  const [flag, setFlag] = useState({ status: "idle" });
  const [note, setNote] = useState("");

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const res = await fetch(`/api/order-block?orderId=${encodeURIComponent(orderId ?? "")}`);
        if (!res.ok) throw new Error(`the app answered ${res.status}`);
        const data = await res.json();
        if (!cancelled) setLoad({ status: "ready", model: describeBlock(data) });
      } catch (err) {
        if (!cancelled) setLoad({ status: "error", message: err instanceof Error ? err.message : String(err) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [orderId]);

  async function flagRefund() {
    setFlag({ status: "sending" });
    try {
      const res = await fetch("/api/order-block", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(flagRequest(orderId, note)),
      });
      const body = await res.json();
      if (!res.ok || body.kind !== "flagged") throw new Error(body.error ?? `the app answered ${res.status}`);
      setFlag({ status: "done" });
      setNote("");
    } catch (err) {
      setFlag({ status: "error", message: err instanceof Error ? err.message : String(err) });
    }
  }

  if (load.status === "loading") {
    return (
      <s-admin-block heading="Mirakl marketplace">
        <s-spinner accessibilityLabel="Loading the marketplace order" />
      </s-admin-block>
    );
  }
  if (load.status === "error") {
    return (
      <s-admin-block heading="Mirakl marketplace">
        <s-banner tone="critical" heading="Could not load the marketplace order">
          {load.message}
        </s-banner>
      </s-admin-block>
    );
  }
  const m = load.model;
  if (m.kind === "hidden") {
    return (
      <s-admin-block heading="Mirakl marketplace" collapsedSummary="Not a marketplace order">
        <s-text tone="subdued">This order did not come from a Mirakl marketplace.</s-text>
      </s-admin-block>
    );
  }
  return (
    <s-admin-block heading={`${m.heading} (Mirakl)`} collapsedSummary={m.stateLabel}>
      <s-stack direction="block" gap="base">
        <s-stack direction="inline" gap="small">
          <s-badge tone={m.stateTone}>{m.stateLabel}</s-badge>
          {m.replacedBy && <s-badge tone="info">Replaced by {m.replacedBy}</s-badge>}
        </s-stack>
        <s-grid gridTemplateColumns="auto 1fr" gap="small">
          {m.facts.map((f) => (
            <Fragment key={f.label}>
              <s-text type="strong">{f.label}</s-text>
              <s-text>{f.value}</s-text>
            </Fragment>
          ))}
        </s-grid>
        {m.tasks.length > 0 && (
          <s-stack direction="block" gap="small-200">
            <s-text type="strong">Open tasks</s-text>
            {m.tasks.map((t) => (
              <s-stack direction="inline" gap="small" key={t.id}>
                <s-badge tone={t.tone}>{t.tone === "critical" ? "Urgent" : "To do"}</s-badge>
                {t.href ? <s-link href={t.href}>{t.title}</s-link> : <s-text>{t.title}</s-text>}
              </s-stack>
            ))}
          </s-stack>
        )}
        {m.refunds.length > 0 && (
          <s-stack direction="block" gap="small-200">
            <s-text type="strong">Mirakl refunds</s-text>
            {m.refunds.map((r) => (
              <s-link href={r.href} key={r.id}>
                {r.label}
              </s-link>
            ))}
          </s-stack>
        )}
        {m.canFlag && (
          <s-stack direction="block" gap="small">
            <s-text-area label="Note for customer service (optional)" value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} />
            <s-stack direction="inline" gap="small">
              <s-button variant="secondary" loading={flag.status === "sending"} onClick={flagRefund}>
                Flag a Mirakl refund task
              </s-button>
              <s-link href={m.refundsHref}>Open refunds</s-link>
            </s-stack>
            {flag.status === "done" && <s-banner tone="success">Task created for customer service in the Mirakl Connector inbox.</s-banner>}
            {flag.status === "error" && <s-banner tone="critical">{flag.message}</s-banner>}
          </s-stack>
        )}
      </s-stack>
    </s-admin-block>
  );
}
