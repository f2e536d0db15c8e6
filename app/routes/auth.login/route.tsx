import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { services } from "../../context.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

async function loginErrors(request: Request): Promise<{ shop?: string }> {
  const result = await services().shopify.login(request);
  // login() returns {shop: LoginErrorType} for a missing/invalid domain; otherwise it throws a redirect.
  const errors = (result ?? {}) as { shop?: string };
  if (errors.shop === "MISSING_SHOP") return { shop: "Enter your shop domain to log in" };
  if (errors.shop === "INVALID_SHOP") return { shop: "Enter a valid shop domain, e.g. my-shop.myshopify.com" };
  return {};
}

export const loader = async ({ request }: LoaderFunctionArgs) => ({ errors: await loginErrors(request) });
export const action = async ({ request }: ActionFunctionArgs) => ({ errors: await loginErrors(request) });

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const errors = actionData?.errors ?? loaderData.errors;
  return (
    <AppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                Log in to Mirakl Connector
              </Text>
              <TextField type="text" name="shop" label="Shop domain" helpText="example.myshopify.com" value={shop} onChange={setShop} autoComplete="on" error={errors.shop} />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
