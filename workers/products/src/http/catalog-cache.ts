import { AppError, DomainError, log, Unavailable } from "@shop/runtime";
import type { Context } from "hono";
import type { ProductsEnv } from "../env";
import { type CatalogVersion, readCatalogVersion } from "../services/catalog/version";

const CACHE_ORIGIN = "https://products-cache.internal";
/** Browsers and proxies revalidate every time (a 304 is cheap); the edge cache does the saving. */
const CLIENT_CACHE_CONTROL = "public, max-age=0, must-revalidate, stale-if-error=86400";
/** Entries under a versioned key never change, so the edge may keep them as long as it likes. */
const STORED_CACHE_CONTROL = "public, max-age=86400";

export type CatalogLoad = { version: CatalogVersion; body: unknown; etag?: string };

function resourceOf(c: Context): string {
  const url = new URL(c.req.url);
  url.searchParams.sort();
  return `${url.pathname}${url.search}`;
}

const versionedKey = (v: CatalogVersion, resource: string) =>
  new Request(`${CACHE_ORIGIN}/v/${v.stamp}/${v.version}${resource}`);
/** The last good copy of a resource whatever the version: served only when D1 fails. */
const lastGoodKey = (resource: string) => new Request(`${CACHE_ORIGIN}/last-good${resource}`);

const catalogEtag = (v: CatalogVersion) => `"c${v.version}-${v.stamp}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
}

async function respond(c: Context, stored: Response, cacheStatus: "hit" | "miss" | "stale"): Promise<Response> {
  const etag = stored.headers.get("etag") ?? "";
  const headers = new Headers({ etag, "cache-control": CLIENT_CACHE_CONTROL, "x-cache": cacheStatus });
  if (matches(c.req.header("if-none-match"), etag)) {
    await stored.body?.cancel();
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(stored.body, { status: 200, headers });
}

async function serveStale(c: Context<ProductsEnv>, resource: string, err: unknown): Promise<Response> {
  log("error", { worker: "products", requestId: c.get("requestId"), msg: "catalog read failed", error: String(err) });
  const copy = await caches.default.match(lastGoodKey(resource));
  if (copy) return respond(c, copy, "stale");
  throw new Unavailable("The catalog is unavailable; try again shortly.", 5);
}

/**
 * A catalog GET through the Workers Cache API. The key embeds the catalog version, which
 * every shopper-visible write bumps in its own batch, so a cached page is never older
 * than the last write. Cost in D1 round trips: a hit is one point read (the version);
 * a miss adds the page's own batch (which re-reads the version, so the page is filed
 * under the version it was read at). If D1 fails, the last good copy is served.
 */
export async function serveCatalog(c: Context<ProductsEnv>, load: () => Promise<CatalogLoad>): Promise<Response> {
  const resource = resourceOf(c);
  let version: CatalogVersion;
  try {
    version = await readCatalogVersion(c.var.ctx);
  } catch (err) {
    return serveStale(c, resource, err);
  }
  const hit = await caches.default.match(versionedKey(version, resource));
  if (hit) return respond(c, hit, "hit");

  let loaded: CatalogLoad;
  try {
    loaded = await load();
  } catch (err) {
    // The request's own fault (a bad cursor, an unknown product) is no outage: no stale copy.
    if (err instanceof DomainError || err instanceof AppError) throw err;
    return serveStale(c, resource, err);
  }
  const stored = new Response(JSON.stringify(loaded.body), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      etag: loaded.etag ?? catalogEtag(loaded.version),
      "cache-control": STORED_CACHE_CONTROL,
    },
  });
  await Promise.all([
    caches.default.put(versionedKey(loaded.version, resource), stored.clone()),
    caches.default.put(lastGoodKey(resource), stored.clone()),
  ]);
  return respond(c, stored, "miss");
}
