import { services } from "./context.server";

/**
 * Every admin page and action starts here: Shopify's session-token (embedded) or cookie (demo) check.
 * Throws the Response the library wants to send (redirect to OAuth, bounce page, 401) when not authenticated.
 */
export async function requireAdmin(request: Request): Promise<{ shop: string }> {
  const { session } = await services().shopify.authenticate.admin(request);
  return { shop: session.shop };
}
