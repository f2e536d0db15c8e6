import type { ReactNode } from "react";
import { isRouteErrorResponse } from "@remix-run/react";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { BlockStack, Button, Card, Page, Text } from "@shopify/polaris";

export type Section = { url: string; label: string };

export interface ErrorPageModel {
  status: number;
  title: string;
  message: string;
  back: { url: string; label: string };
}

/**
 * What an error page says: a 404 names what was not found (the loader's message, plain text), anything else says
 * that something went wrong without internals (stack traces and error messages stay in the server log). The back
 * link goes to the section (of `sections`, the app's navigation) the missing page belongs to, or the overview.
 */
export function errorPageModel(error: unknown, pathname: string, sections: readonly Section[] = []): ErrorPageModel {
  const section = sections.find((s) => s.url !== "/app" && (pathname === s.url || pathname.startsWith(`${s.url}/`)));
  const back = section ? { url: section.url, label: `Back to ${section.label}` } : { url: "/app", label: "Back to the overview" };
  if (isRouteErrorResponse(error) && error.status === 404) {
    const text = typeof error.data === "string" && error.data.trim() && !/^\s*</.test(error.data) && error.data.length <= 300 ? error.data.trim() : "";
    return {
      status: 404,
      title: "Page not found",
      message: text && text !== "Not found" && text !== "Not Found" ? text : "This page does not exist. It may have been removed, or the link may be wrong.",
      back,
    };
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return {
    status,
    title: "Something went wrong",
    message: "This page could not be shown. Nothing was changed. Try again in a moment; if it keeps happening, contact support.",
    back,
  };
}

/**
 * A Polaris error page: stands alone (its own AppProvider), since an error boundary replaces the app's layout.
 * `frame` puts the app's navigation back around it (it needs the AppProvider, so it is applied inside it).
 */
export function ErrorPage({ error, pathname, sections, frame = (page) => page }: { error: unknown; pathname: string; sections?: readonly Section[]; frame?: (page: ReactNode) => ReactNode }) {
  const m = errorPageModel(error, pathname, sections);
  const page = (
    <Page title={m.title} backAction={{ content: m.back.label, url: m.back.url }}>
      <Card>
        <BlockStack gap="300">
          <Text as="p" variant="bodyLg">
            <span data-testid="error-message">{m.message}</span>
          </Text>
          <span>
            <Button url={m.back.url} variant="primary">
              {m.back.label}
            </Button>
          </span>
        </BlockStack>
      </Card>
    </Page>
  );
  return (
    <AppProvider isEmbeddedApp={false} apiKey="">
      {frame(page)}
    </AppProvider>
  );
}
