import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineStack, Page, Tabs, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { formatDateTime, formatRelative } from "../components/format";

const STATUSES = ["OPEN", "RESOLVED", "DISMISSED"] as const;

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
  const connections = await services().prisma.marketplaceConnection.findMany({ where: { shop }, select: { id: true, name: true } });
  const names = Object.fromEntries(connections.map((c) => [c.id, c.name]));
  return { status, now: new Date().toISOString(), tasks: tasks.map((t) => ({ ...t, marketplace: t.connectionId ? (names[t.connectionId] ?? null) : null })) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const id = String(form.get("id"));
  if (form.get("intent") === "dismiss") await services().tasks.dismiss({ shop, id, by: "user" });
  return { ok: true };
};

const SEVERITY_TONE = { critical: "critical", warning: "warning", info: "info" } as const;

export default function Tasks() {
  const { tasks, status, now } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const selected = STATUSES.indexOf(status);
  return (
    <Page title="Tasks" subtitle="What needs a person, in the order it costs money.">
      <Card padding="0">
        <Tabs
          tabs={STATUSES.map((s) => ({ id: s, content: s === "OPEN" ? "Open" : s === "RESOLVED" ? "Resolved" : "Dismissed" }))}
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
              <TaskRow key={t.id} task={t} now={now} />
            ))}
          </BlockStack>
        )}
      </Card>
    </Page>
  );
}

function TaskRow({ task, now }: { task: ReturnType<typeof useLoaderData<typeof loader>>["tasks"][number]; now: string }) {
  const fetcher = useFetcher();
  const tone = SEVERITY_TONE[task.severity as keyof typeof SEVERITY_TONE] ?? "info";
  return (
    <div style={{ borderTop: "1px solid var(--p-color-border-secondary)", padding: "16px" }} data-testid="task-row">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" wrap={false}>
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={tone}>{task.severity}</Badge>
              {task.marketplace && <Badge>{task.marketplace}</Badge>}
              <Text as="h3" variant="headingSm">
                {task.title}
              </Text>
            </InlineStack>
            <Text as="p" variant="bodyMd">
              <span style={{ whiteSpace: "pre-line" }}>{task.body}</span>
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {task.dueAt ? `Deadline ${formatRelative(task.dueAt, new Date(now))} (${formatDateTime(task.dueAt)}) · ` : ""}
              Raised {formatDateTime(task.createdAt)}
              {task.occurrences > 1 ? ` · seen ${task.occurrences} times` : ""}
              {task.resolvedAt ? ` · ${task.status.toLowerCase()} ${formatDateTime(task.resolvedAt)} by ${task.resolvedBy ?? "?"}` : ""}
            </Text>
          </BlockStack>
          {task.status === "OPEN" && (
            <InlineStack gap="200" wrap={false}>
              {task.actionUrl && (
                <Link to={task.actionUrl}>
                  <Button variant="primary">{task.actionLabel ?? "Open"}</Button>
                </Link>
              )}
              <fetcher.Form method="post">
                <input type="hidden" name="id" value={task.id} />
                <input type="hidden" name="intent" value="dismiss" />
                <Button submit loading={fetcher.state !== "idle"}>
                  Dismiss
                </Button>
              </fetcher.Form>
            </InlineStack>
          )}
        </InlineStack>
      </BlockStack>
    </div>
  );
}
