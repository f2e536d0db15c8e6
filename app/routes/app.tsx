import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import type { ReactNode } from "react";
import { Link, Outlet, isRouteErrorResponse, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Frame, Navigation, TopBar } from "@shopify/polaris";
import { HomeIcon, ConnectIcon, AlertCircleIcon, OrderIcon, ProductIcon, DeliveryIcon, InventoryIcon, ReceiptRefundIcon, CashDollarIcon } from "@shopify/polaris-icons";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { ErrorPage } from "../components/error-page";
import { TimeZoneProvider } from "../components/time-zone";
import { shopTimeZone } from "../sync/shops.server";

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
  const [openTasks, timeZone] = await Promise.all([s.prisma.task.count({ where: { shop, status: "OPEN" } }), shopTimeZone(s.prisma, shop)]);
  return { apiKey: s.env.SHOPIFY_API_KEY, embedded: !s.env.DEV_SIGN_IN, shop, openTasks, timeZone };
};

/**
 * The app's own navigation outside the Shopify admin (the demo has no App Bridge nav): Polaris's Frame with the
 * sidebar and top bar. The layout and its error boundary both use it, so a 404 keeps the way around the app; the
 * boundary has no loader data, so the shop name and the Tasks badge may be absent there.
 */
function StandaloneFrame({ shop, openTasks = 0, children }: { shop?: string; openTasks?: number; children: ReactNode }) {
  const location = useLocation();
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
    <Frame navigation={navigation} topBar={<TopBar userMenu={<span style={{ padding: "0 16px", color: "white" }}>{shop ?? ""}</span>} />}>
      {children}
    </Frame>
  );
}

export default function AppLayout() {
  const { apiKey, embedded, shop, openTasks, timeZone } = useLoaderData<typeof loader>();
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
        <TimeZoneProvider timeZone={timeZone}>
          <Outlet />
        </TimeZoneProvider>
      </AppProvider>
    );
  }
  // Outside the Shopify admin (the demo) there is no App Bridge navigation: Polaris draws it.
  return (
    <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
      <StandaloneFrame shop={shop} openTasks={openTasks}>
        <TimeZoneProvider timeZone={timeZone}>
          <Outlet />
        </TimeZoneProvider>
      </StandaloneFrame>
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
  const layout = useRouteLoaderData<typeof loader>("routes/app");
  if (isRouteErrorResponse(error) && error.status !== 404 && error.status < 500) return boundary.error(error);
  // The boundary replaces the layout. Embedded, the admin's App Bridge nav is still around the iframe; in the demo
  // the same Frame and navigation are drawn again. The layout's data is there when a page below threw (a 404);
  // when the layout's own loader failed it is not, and embedded or not is unknown: no frame then, as a duplicate
  // sidebar inside the Shopify admin would be worse than none.
  const frame = layout && !layout.embedded ? (page: ReactNode) => <StandaloneFrame shop={layout.shop} openTasks={layout.openTasks}>{page}</StandaloneFrame> : undefined;
  return <ErrorPage error={error} pathname={location.pathname} sections={NAV} frame={frame} />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
