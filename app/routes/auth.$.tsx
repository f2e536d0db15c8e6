import type { LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../context.server";

// OAuth and session-token bounce paths under /auth, all handled by the Shopify library.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await services().shopify.authenticate.admin(request);
  return null;
};
