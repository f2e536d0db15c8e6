import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, ButtonGroup, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { connectionCredentialsSchema, createConnection, testConnection } from "../sync/connections.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await requireAdmin(request);
  return null;
};

type ActionData =
  | { intent: "test"; result: Awaited<ReturnType<typeof testConnection>>; fieldErrors?: Record<string, string> }
  | { intent: "save"; fieldErrors?: Record<string, string>; error?: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionData | Response> => {
  const { shop } = await requireAdmin(request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "test") {
    const parsed = connectionCredentialsSchema.safeParse(form);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
      return { intent: "test", result: { kind: "error", message: "Fix the highlighted fields first.", retryable: false }, fieldErrors };
    }
    return { intent: "test", result: await testConnection(parsed.data) };
  }
  const result = await createConnection({ services: services(), shop, input: form });
  if (result.kind === "created") return redirect(`/app/connections/${result.connection.id}?created=1`);
  if (result.kind === "invalid") return { intent: "save", fieldErrors: result.fieldErrors };
  return { intent: "save", error: result.message };
};

export default function NewConnection() {
  const data = useActionData<typeof action>() as ActionData | undefined;
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  // Controlled fields keep what the merchant typed when the server answers with an error.
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [shopId, setShopId] = useState("");
  const errors = data?.fieldErrors ?? {};
  const submit = useSubmit();
  const send = (intent: "test" | "save") => submit({ intent, name, baseUrl, apiKey, miraklShopId: shopId }, { method: "post" });
  return (
    <Page title="Connect a marketplace" backAction={{ content: "Marketplaces", url: "/app/connections" }}>
        <BlockStack gap="400">
          {data?.intent === "test" && data.result.kind === "ok" && (
            <Banner tone="success" title={`Connected to ${data.result.shopName}`}>
              <p>
                Mirakl shop id {data.result.shopId}
                {data.result.shopState ? `, state ${data.result.shopState}` : ""}. Save to start syncing.
              </p>
            </Banner>
          )}
          {data?.intent === "test" && data.result.kind === "error" && (
            <Banner tone="critical" title="Could not connect">
              <p>{data.result.message}</p>
            </Banner>
          )}
          {data?.intent === "save" && data.error && (
            <Banner tone="critical" title="Not saved">
              <p>{data.error}</p>
            </Banner>
          )}
          <Card>
            <FormLayout>
              <Text as="p" tone="subdued">
                Find the API key in the marketplace's Mirakl seller back office: your user menu → API key. It is stored encrypted and never shown again.
              </Text>
              <TextField label="Marketplace name" name="name" value={name} onChange={setName} autoComplete="off" placeholder="Joules" error={errors.name} />
              <TextField label="Mirakl address" name="baseUrl" value={baseUrl} onChange={setBaseUrl} autoComplete="off" placeholder="https://joules.mirakl.net" error={errors.baseUrl} />
              <TextField label="API key" name="apiKey" type="password" value={apiKey} onChange={setApiKey} autoComplete="off" error={errors.apiKey} />
              <TextField label="Mirakl shop id (optional)" name="miraklShopId" value={shopId} onChange={setShopId} autoComplete="off" helpText="Only if your key gives access to several shops." error={errors.miraklShopId} />
              <ButtonGroup>
                <Button onClick={() => send("test")} loading={busy && nav.formData?.get("intent") === "test"}>
                  Test connection
                </Button>
                <Button variant="primary" onClick={() => send("save")} loading={busy && nav.formData?.get("intent") === "save"}>
                  Save
                </Button>
              </ButtonGroup>
            </FormLayout>
          </Card>
        </BlockStack>
    </Page>
  );
}
