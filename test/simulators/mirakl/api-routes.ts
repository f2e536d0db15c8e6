/**
 * The operations the simulator implements, by method and OpenAPI path template.
 */
import type { ApiRoute } from "./api-context";
import { accountingRoutes } from "./handlers-accounting";
import { offerRoutes } from "./handlers-offers";
import { orderRoutes } from "./handlers-orders";
import { platformRoutes } from "./handlers-platform";
import { shipmentRoutes } from "./handlers-shipments";

export const API_ROUTES: readonly ApiRoute[] = [...platformRoutes, ...orderRoutes, ...offerRoutes, ...accountingRoutes, ...shipmentRoutes];

interface CompiledRoute {
  route: ApiRoute;
  regex: RegExp;
  names: string[];
  literal: boolean;
}

const compiled: CompiledRoute[] = API_ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m) {
        names.push(m[1] as string);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { route, regex: new RegExp(`^${source}$`), names, literal: names.length === 0 };
}).sort((a, b) => Number(b.literal) - Number(a.literal));

export type RouteMatch = { kind: "found"; route: ApiRoute; params: Record<string, string> } | { kind: "method-not-allowed" } | { kind: "not-found" };

export function matchRoute({ method, path }: { method: string; path: string }): RouteMatch {
  let pathMatched = false;
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1] ?? "");
    });
    return { kind: "found", route: c.route, params };
  }
  return pathMatched ? { kind: "method-not-allowed" } : { kind: "not-found" };
}
