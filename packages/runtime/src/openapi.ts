import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import { PROBLEM_CONTENT_TYPE, Problem } from "@shop/contracts";
import type { Env as HonoEnv } from "hono";

const DESCRIPTIONS: Record<number, string> = {
  400: "The request is not valid (the failing fields are named)",
  401: "No valid bearer token",
  403: "The caller lacks the role this needs",
  404: "Not found (or not yours)",
  409: "Conflicts with the current state",
  412: "If-Match does not match the current version",
  413: "Body over 1 MB",
  415: "Body is not JSON",
  422: "Understood, but not possible",
  428: "If-Match is required",
  429: "Too many requests; see Retry-After",
  503: "A dependency is unavailable; retry",
};

/**
 * The headers of a documented 429: every one carries `Retry-After` (`rateLimit()`, ADR 0012),
 * since a client needs the wait, not just the refusal. For a 429 written out by hand.
 */
export const RETRY_AFTER_HEADERS = {
  "Retry-After": {
    description: "Seconds to wait before trying again",
    schema: { type: "integer" as const, minimum: 1 },
  },
};

/**
 * The problem+json responses a route declares in its OpenAPI document (every error has this
 * shape); a 429 also declares its `Retry-After` header.
 */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: DESCRIPTIONS[s] ?? "Error",
        content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
        ...(s === 429 ? { headers: RETRY_AFTER_HEADERS } : {}),
      },
    ]),
  );
}

/** A route and its handler, as `app.openapi` takes them. */
type RouteEntries<E extends HonoEnv, R extends readonly RouteConfig[]> = {
  [K in keyof R]: readonly [R[K], RouteHandler<R[K], E>];
};

/**
 * Registers a worker's documented routes in the order given: the router tries routes in
 * registration order (a literal path such as `/orders/dead-letters` before `/orders/{id}`),
 * and the OpenAPI document lists paths in it too.
 */
export function registerRoutes<E extends HonoEnv, const R extends readonly RouteConfig[]>(
  app: OpenAPIHono<E>,
  routes: RouteEntries<E, R>,
): void {
  for (const [route, handler] of routes as readonly (readonly [RouteConfig, never])[]) app.openapi(route, handler);
}
