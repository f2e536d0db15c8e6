import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, isRouteErrorResponse, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Frame, Navigation, TopBar } from "@shopify/polaris";
import { HomeIcon, ConnectIcon, AlertCircleIcon, OrderIcon, ProductIcon, DeliveryIcon, InventoryIcon, ReceiptRefundIcon, CashDollarIcon } from "@shopify/polaris-icons";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { ErrorPage } from "../components/error-page";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const NAV = [
  { url: "/app", label: "Overview", icon: HomeIcon, exact: true },
  { url: "/app/connections", label: "Marketplaces", icon: ConnectIcon },
  { url: "/app/orders", label: "Orders", icon: OrderIcon },
  { url: "/app/tasks", label: "Tasks", icon: AlertCircleIcon },
  { url: "/app/refunds", label: "Refunds", icon: ReceiptRefundIcon },
  { url: "/app/payouts", label: "Payouts", icon: CashDollarIcon },
  { url: "/app/skus", label: "SKU mapping", icon: ProductIcon },
  { url: "/app/carriers", label: "Carrier mapping", icon: DeliveryIcon },
  { url: "/app/inventory", label: "Inventory", icon: InventoryIcon },
] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = services();
  const openTasks = await s.prisma.task.count({ where: { shop, status: "OPEN" } });
  return { apiKey: s.env.SHOPIFY_API_KEY, embedded: !s.env.DEV_SIGN_IN, shop, openTasks };
};

export default function AppLayout() {
  const { apiKey, embedded, shop, openTasks } = useLoaderData<typeof loader>();
  const location = useLocation();
  if (embedded) {
    return (
      <AppProvider isEmbeddedApp apiKey={apiKey}>
        <NavMenu>
          {NAV.map((item) => (
            <Link key={item.url} to={item.url} rel={item.url === "/app" ? "home" : undefined}>
              {item.label}
            </Link>
          ))}
        </NavMenu>
        <Outlet />
      </AppProvider>
    );
  }
  // Outside the Shopify admin (the demo) there is no App Bridge navigation: Polaris draws it.
  const navigation = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        items={NAV.map((item) => ({
          url: item.url,
          label: item.label,
          icon: item.icon,
          exactMatch: "exact" in item ? item.exact : false,
          badge: item.url === "/app/tasks" && openTasks > 0 ? String(openTasks) : undefined,
        }))}
      />
    </Navigation>
  );
  return (
    <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
      <Frame navigation={navigation} topBar={<TopBar userMenu={<span style={{ padding: "0 16px", color: "white" }}>{shop}</span>} />}>
        <Outlet />
      </Frame>
    </AppProvider>
  );
}

/**
 * A missing page (404) or a failure shows a Polaris page with a plain message and a way back. Other responses
 * are shopify-app-remix's (the App Bridge bounce page, session-token retries) and keep its handling.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error) && error.status !== 404 && error.status < 500) return boundary.error(error);
  return <ErrorPage error={error} pathname={location.pathname} sections={NAV} />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
