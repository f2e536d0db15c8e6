import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import type { ReactNode } from "react";
import { ErrorPage } from "./components/error-page";

function Document({ children, head }: { children: ReactNode; head?: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="alternate icon" href="/favicon.ico" sizes="16x16" />
        {head}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

/**
 * Errors outside /app (sign-in, auth, a route that does not exist): the same Polaris error page as inside the
 * app. It renders the whole document itself, with Polaris' styles, because the failing route's links may not load.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  return (
    <Document head={<link rel="stylesheet" href={polarisStyles} />}>
      <ErrorPage error={error} pathname={location.pathname} />
    </Document>
  );
}
