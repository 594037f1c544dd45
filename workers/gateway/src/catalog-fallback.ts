import type { Context } from "hono";
import type { GatewayEnv } from "./env";

/**
 * The edge keeps the last good copy of each public catalog page, so shoppers can keep
 * browsing when the products service fails (stale-if-error at the edge). The copy is written
 * whenever products did not answer from its own cache (`x-cache: hit`): a miss follows every
 * catalog change, so the hot path of cached pages costs no extra cache write.
 */
const ORIGIN = "https://gateway-catalog-fallback.internal";

/** A public catalog read (GET or HEAD, anonymous): the reads the last good copy may answer. */
export function isCatalogRead(c: Context<GatewayEnv>): boolean {
  const p = c.req.path;
  return (
    (c.req.method === "GET" || c.req.method === "HEAD") &&
    !c.req.header("authorization") &&
    (p === "/products" || p === "/categories" || /^\/products\/[^/]+$/.test(p))
  );
}

/** `forwarded`: the URL products was asked, which names the shopper's market (ADR 0032). */
function keyOf(forwarded: string): Request {
  const url = new URL(forwarded);
  url.searchParams.sort();
  return new Request(`${ORIGIN}${url.pathname}${url.search}`);
}

/** Personal answers (no-store, private, or setting a cookie) are never kept in the shared copy. */
function isShareable(res: Response): boolean {
  return (
    !/(^|,)\s*(no-store|private)\b/i.test(res.headers.get("cache-control") ?? "") && !res.headers.has("set-cookie")
  );
}

export function rememberCatalogPage(c: Context<GatewayEnv>, res: Response, forwarded = c.req.url): Response {
  // A HEAD answer has no body to keep.
  if (c.req.method !== "GET" || res.status !== 200 || res.headers.get("x-cache") === "hit" || !isShareable(res))
    return res;
  const [forClient, forCache] = res.body ? res.body.tee() : [null, null];
  const copy = new Response(forCache, res);
  copy.headers.set("cache-control", "public, max-age=604800");
  c.executionCtx.waitUntil(caches.default.put(keyOf(forwarded), copy));
  return new Response(forClient, res);
}

export async function lastGoodCatalogPage(
  c: Context<GatewayEnv>,
  forwarded = c.req.url,
): Promise<Response | undefined> {
  const copy = await caches.default.match(keyOf(forwarded));
  if (!copy) return undefined;
  const res = new Response(copy.body, copy);
  res.headers.set("x-cache", "stale-edge");
  res.headers.set("cache-control", "no-store");
  res.headers.set("warning", '110 - "Response is stale"');
  return res;
}
