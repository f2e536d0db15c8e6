import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, InlineStack, Modal, Page, Tabs, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { formatRelative } from "../components/format";
import { useFormatDateTime, useTimeZone } from "../components/time-zone";
import { closedLine, dismissConsequence, retryQueuedLine, severityLabel, severityTone } from "../components/task-view";
import { retryJobTask } from "../jobs/retry-task.server";
import { shopTimeZone } from "../sync/shops.server";

const STATUSES = ["OPEN", "RESOLVED", "DISMISSED"] as const;
const STATUS_TAB: Record<(typeof STATUSES)[number], string> = {
  OPEN: "Open",
  RESOLVED: "Resolved",
  DISMISSED: "Dismissed",
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const url = new URL(request.url);
  const status = STATUSES.find((s) => s === url.searchParams.get("status")) ?? "OPEN";
  const tasks = await services().prisma.task.findMany({
    where: { shop, status },
    // Deadlines first (held orders about to be auto-refused), then the most severe, then the newest.
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { severity: "asc" }, { updatedAt: "desc" }],
    take: 200,
  });
  const connections = await services().prisma.marketplaceConnection.findMany({
    where: { shop },
    select: { id: true, name: true },
  });
  const names = Object.fromEntries(connections.map((c) => [c.id, c.name]));
  // These lines are written here (the payload stays on the server), so they need the zone the layout shows too.
  const timeZone = await shopTimeZone(services().prisma, shop);
  return {
    status,
    now: new Date().toISOString(),
    // `data` (a failed job's payload) stays on the server: the row only needs to know a retry is queued.
    tasks: tasks.map(({ data, ...t }) => ({
      ...t,
      marketplace: t.connectionId ? names[t.connectionId] ?? null : null,
      retryQueued: retryQueuedLine({ ...t, data }, timeZone),
      closed: closedLine(t, timeZone),
    })),
  };
};

const actionSchema = z.object({
  intent: z.enum(["dismiss", "reopen", "retry"]),
  id: z.string().min(1),
});

export type TaskActionResult = { ok: true; message?: string } | { ok: false; message: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<TaskActionResult> => {
  const { shop } = await requireAdmin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "That action is not available on this task." };
  const { intent, id } = parsed.data;
  const s = services();
  if (intent === "dismiss") {
    return (await s.tasks.dismiss({ shop, id, by: "user" })) ? { ok: true } : { ok: false, message: "This task is no longer open." };
  }
  if (intent === "reopen") {
    return (await s.tasks.reopen({ shop, id })) ? { ok: true } : { ok: false, message: "This task is no longer dismissed." };
  }
  const retried = await retryJobTask({ services: s, shop, id });
  if (retried.kind === "queued") return { ok: true, message: "Queued to run again: this task closes by itself when it succeeds." };
  if (retried.kind === "already_waiting") return { ok: true, message: "This step is already waiting to run; it runs within a minute." };
  return { ok: false, message: retried.message };
};

export default function Tasks() {
  const { tasks, status, now } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const selected = STATUSES.indexOf(status);
  // Shown above the list, not in the row: a retried job that succeeds at once resolves its task, and the row
  // leaves the Open tab before the merchant could read anything in it.
  const [notice, setNotice] = useState<{
    title: string;
    result: TaskActionResult;
  } | null>(null);
  return (
    <Page title="Tasks" subtitle="What needs a person, in the order it costs money.">
      <BlockStack gap="400">
        {notice?.result.message && (
          <Banner tone={notice.result.ok ? "info" : "critical"} title={notice.title} onDismiss={() => setNotice(null)}>
            <span data-testid="task-action-result">{notice.result.message}</span>
          </Banner>
        )}
        <Card padding="0">
          <Tabs
            tabs={STATUSES.map((s) => ({ id: s, content: STATUS_TAB[s] }))}
            selected={selected}
            onSelect={(i) => setParams({ status: STATUSES[i] ?? "OPEN" })}
          />
          {tasks.length === 0 ? (
            <EmptyState heading={status === "OPEN" ? "Nothing needs you right now" : "No tasks here"} image="">
              <p>Held orders, unmapped SKUs or carriers, refunds to send and sync failures appear here.</p>
            </EmptyState>
          ) : (
            <BlockStack>
              {tasks.map((t) => (
                <TaskRow key={t.id} task={t} now={now} onResult={(result) => setNotice({ title: t.title, result })} />
              ))}
            </BlockStack>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

type TaskView = ReturnType<typeof useLoaderData<typeof loader>>["tasks"][number];

function TaskRow({ task, now, onResult }: { task: TaskView; now: string; onResult: (result: TaskActionResult) => void }) {
  const formatDateTime = useFormatDateTime();
  const timeZone = useTimeZone();
  const fetcher = useFetcher<typeof action>();
  const [confirming, setConfirming] = useState(false);
  const busy = fetcher.state !== "idle";
  const submit = (intent: "dismiss" | "reopen" | "retry") => fetcher.submit({ id: task.id, intent }, { method: "post" });
  // fetcher.data arrives while the list revalidates, before this row may unmount: hand it up at once.
  useEffect(() => {
    if (fetcher.data) onResult(fetcher.data);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- report each action result once, not on every parent render
  }, [fetcher.data]);
  return (
    <div
      style={{
        borderTop: "1px solid var(--p-color-border-secondary)",
        padding: "16px",
      }}
      data-testid="task-row"
      data-task-id={task.id}
    >
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Badge tone={severityTone(task.severity)}>{severityLabel(task.severity)}</Badge>
          {task.marketplace && <Badge>{task.marketplace}</Badge>}
        </InlineStack>
        {/* The title has the row's full width: the actions sit on their own line below, never squeezing it. */}
        <Text as="h3" variant="headingSm">
          {task.title}
        </Text>
        <Text as="p" variant="bodyMd">
          <span style={{ whiteSpace: "pre-line" }}>{task.body}</span>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {task.dueAt ? `Deadline ${formatRelative(task.dueAt, new Date(now))} (${formatDateTime(task.dueAt)}) · ` : ""}
          Raised {formatDateTime(task.createdAt)}
          {task.occurrences > 1 ? ` · seen ${task.occurrences} times` : ""}
          {task.closed ? ` · ${task.closed}` : ""}
        </Text>
        {task.retryQueued && (
          <Text as="p" variant="bodySm" tone="subdued">
            <span data-testid="task-retry-queued">{task.retryQueued}</span>
          </Text>
        )}
        {(task.status === "OPEN" || task.status === "DISMISSED") && (
          <div style={{ flexShrink: 0 }}>
            <InlineStack gap="200" wrap={false} blockAlign="center">
              {task.status === "OPEN" && task.kind === "job_failed" && (
                <Button variant="primary" onClick={() => submit("retry")} loading={busy && fetcher.formData?.get("intent") === "retry"}>
                  {task.actionLabel ?? "Retry"}
                </Button>
              )}
              {task.status === "OPEN" && task.kind !== "job_failed" && task.actionUrl && (
                <Link to={task.actionUrl}>
                  <Button variant="primary">{task.actionLabel ?? "Open"}</Button>
                </Link>
              )}
              {task.status === "OPEN" && (
                <Button onClick={() => setConfirming(true)} disabled={busy}>
                  Dismiss
                </Button>
              )}
              {task.status === "DISMISSED" && (
                <Button onClick={() => submit("reopen")} loading={busy}>
                  Reopen
                </Button>
              )}
            </InlineStack>
          </div>
        )}
      </BlockStack>
      {/* Polaris Modal rather than App Bridge's: it works both inside the Shopify admin and in the stand-alone demo. */}
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Dismiss this task?"
        primaryAction={{
          content: "Dismiss task",
          destructive: true,
          onAction: () => {
            setConfirming(false);
            submit("dismiss");
          },
        }}
        secondaryActions={[{ content: "Keep it open", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              {task.title}
            </Text>
            <Text as="p">
              <span data-testid="dismiss-consequence">{dismissConsequence(task, timeZone)}</span>
            </Text>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </div>
  );
}
