import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Cookies } from "@shopify/shopify-api/runtime";
import { services } from "../context.server";

/**
 * Development only (DEV_SIGN_IN=1, which env.server.ts refuses in production): signs the browser in to a shop
 * that has an offline session, as the Shopify admin would, so the demo and Playwright can open the app in a
 * plain browser. In this mode the app is not embedded and the library reads the signed `shopify_app_session`
 * cookie (auth-code strategy) instead of a session token.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const s = services();
  if (!s.env.DEV_SIGN_IN || s.env.NODE_ENV === "production") return new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  const session = await s.shopify.sessionStorage.loadSession(`offline_${shop}`);
  if (!session) return new Response(`No installed shop "${shop}"`, { status: 404 });
  const response = { statusCode: 302, statusText: "Found", headers: {} as Record<string, string | string[]> };
  const cookies = new Cookies({ headers: {} } as never, response as never, { keys: [s.env.SHOPIFY_API_SECRET] });
  await cookies.setAndSign("shopify_app_session", session.id, { path: "/", sameSite: "lax", httpOnly: true, secure: false });
  const headers = new Headers();
  const setCookie = response.headers["Set-Cookie"];
  for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) headers.append("Set-Cookie", c);
  const next = url.searchParams.get("next") ?? "/app";
  return redirect(`${next}${next.includes("?") ? "&" : "?"}shop=${encodeURIComponent(shop)}`, { headers });
}
