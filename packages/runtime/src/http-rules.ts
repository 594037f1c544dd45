import { CART_ID_HEADER, SESSION_COOKIE } from "@shop/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import type { RouterRoute } from "hono/types";
import { problemResponse } from "./errors";

/** The cookie that carries a browser's session (the refresh token, set by `users` on sign-in). */

/** The order methods are listed in an `Allow` header. */
const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Context flag: the route answers anonymous and identified callers differently. */
const VARIES_BY_CALLER = "variesByCaller";

type RouteDefinition = { type: string; route?: { method: string; path: string } };
/** What the method table reads from an app: Hono's registered routes and, if any, its OpenAPI registry. */
export type RoutedApp = {
  routes: readonly RouterRoute[];
  openAPIRegistry?: { definitions: readonly RouteDefinition[] };
};

/**
 * Which methods each path of an app answers, for `405 Method Not Allowed` + `Allow`.
 *
 * An endpoint is a documented operation (OpenAPI registry, `{id}` read as Hono's `:id`) or a
 * route registered for an explicit method whose handler takes no `next` — middleware (`app.use`,
 * `app.on(method, path, middleware)`, validators) always does, and routes for every method
 * (`app.all`, catch-alls) name no method at all. Test-only paths (`/__…`) are left out, so they
 * stay 404 wherever they are switched off. HEAD is allowed wherever GET is (Hono answers it
 * with the GET handler). The table is built on first use and again if routes were added since.
 */
export class MethodTable {
  private router: TrieRouter<string> | undefined;
  private builtFrom = -1;

  constructor(private readonly app: RoutedApp) {}

  private build(): TrieRouter<string> {
    const router = new TrieRouter<string>();
    const seen = new Set<string>();
    const add = (method: string, path: string) => {
      const m = method.toUpperCase();
      if (m === "ALL" || path.startsWith("/__") || seen.has(`${m} ${path}`)) return;
      seen.add(`${m} ${path}`);
      // Filed under every method, so one lookup returns all the methods a path has.
      router.add("ALL", path, m);
    };
    for (const def of this.app.openAPIRegistry?.definitions ?? []) {
      if (def.type === "route" && def.route) add(def.route.method, def.route.path.replaceAll(/\{([^}]+)\}/g, ":$1"));
    }
    for (const r of this.app.routes) if (r.handler.length < 2) add(r.method, r.path);
    this.router = router;
    this.builtFrom = this.app.routes.length;
    return router;
  }

  /** The methods `path` answers, in `Allow` order; empty when no route has this path. */
  allowed(path: string): string[] {
    const router = this.router && this.builtFrom === this.app.routes.length ? this.router : this.build();
    const [matches] = router.match("GET", path);
    const methods = new Set(matches.map(([m]) => m));
    if (methods.has("GET")) methods.add("HEAD");
    return METHOD_ORDER.filter((m) => methods.has(m)).concat([...methods].filter((m) => !METHOD_ORDER.includes(m)));
  }
}

/**
 * The answer for a request no route took: 405 with `Allow` when the path exists for other
 * methods, otherwise undefined (the caller answers 404). A method the path does have (its
 * handler passed the request on, e.g. a switched-off endpoint) stays a 404 too.
 */
export function methodNotAllowed(table: MethodTable, c: Context): Response | undefined {
  const allow = table.allowed(c.req.path);
  if (allow.length === 0 || allow.includes(c.req.method)) return undefined;
  const listed = allow.length > 1 ? `${allow.slice(0, -1).join(", ")} or ${allow.at(-1)}` : allow[0];
  return problemResponse(
    405,
    "method_not_allowed",
    `${c.req.method} is not allowed on ${c.req.path}; it answers ${listed}.`,
    c.get("requestId" as never) as string | undefined,
    undefined,
    { allow: allow.join(", ") },
  );
}

/**
 * Marks the request's route as one that answers anonymous and identified callers differently
 * (optional authentication): its responses get `Vary: Authorization`, and an identified
 * caller's answer is never stored, whatever Cache-Control the route chose for the public one.
 */
export function answersCallersDifferently(c: Context): void {
  c.set(VARIES_BY_CALLER as never, true as never);
}

const hasCookie = (header: string | undefined, name: string) =>
  !!header && header.split(";").some((part) => part.trim().startsWith(`${name}=`));

/** Whether the answer belongs to one caller: credentials, a cart token or a session came in or went out. */
function isPersonal(c: Context, res: Response): boolean {
  return (
    c.req.header("authorization") !== undefined ||
    c.req.header(CART_ID_HEADER) !== undefined ||
    hasCookie(c.req.header("cookie"), SESSION_COOKIE) ||
    c.get("principal" as never) !== undefined ||
    res.status === 401 ||
    res.status === 403 ||
    res.headers.has("set-cookie") ||
    res.headers.has(CART_ID_HEADER)
  );
}

const NOT_STORED = /(^|,)\s*(no-store|private)\b/i;

function appendVary(headers: Headers, name: string): void {
  const current = headers.get("vary");
  const names = (current ?? "").split(",").map((v) => v.trim().toLowerCase());
  if (names.includes("*") || names.includes(name.toLowerCase())) return;
  headers.set("vary", current ? `${current}, ${name}` : name);
}

/**
 * `Cache-Control: no-store` on every personal answer (see `isPersonal`: a request with
 * `Authorization`, a cart token or the session cookie, an identified caller, any 401/403, a
 * response that sets a cookie or hands out a cart) that did not set its own Cache-Control: a
 * route that did chose it on purpose (public catalog data is the same for everyone). Routes
 * marked with `answersCallersDifferently` also get `Vary: Authorization`, and their answers to
 * identified callers are no-store even when the public answer is cacheable.
 */
export const personalResponses: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  const headers = res.headers;
  const cacheControl = headers.get("cache-control");
  if (c.get(VARIES_BY_CALLER as never) === true) {
    appendVary(headers, "Authorization");
    if (c.get("principal" as never) !== undefined && !NOT_STORED.test(cacheControl ?? "")) {
      headers.set("cache-control", "no-store");
      return;
    }
  }
  if (cacheControl === null && isPersonal(c, res)) headers.set("cache-control", "no-store");
};
