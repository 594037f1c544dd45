import { CATALOG_VERSION_COOKIE, CATALOG_VERSION_HEADER } from "@shop/contracts";
import { AppError, DomainError, log, Unavailable } from "@shop/runtime";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ProductsEnv } from "../env";
import {
  type CatalogVersion,
  knownCatalogVersion,
  noteCatalogVersion,
  readCatalogVersion,
} from "../services/catalog/version";

const CACHE_ORIGIN = "https://products-cache.internal";
/** Browsers and proxies revalidate every time (a 304 is cheap); the edge cache does the saving. */
const CLIENT_CACHE_CONTROL = "public, max-age=0, must-revalidate, stale-if-error=86400";
/** The entry is checked against the catalog version on every read, and kept as the last good copy. */
const STORED_CACHE_CONTROL = "public, max-age=86400";
/**
 * Stock moves that flip no product's availability bump no version (ADR 0022), so quantities
 * in a cached page may lag; an entry older than this is loaded again.
 */
export const STOCK_LAG_MS = 30_000;

/** Header and cookie that carry the catalog version an admin wrote (read-your-writes). */
export { CATALOG_VERSION_HEADER };

const ENTRY_VERSION = "x-catalog-entry-version";
const ENTRY_STORED_AT = "x-catalog-entry-stored-at";

export type CatalogLoad = { version: CatalogVersion; body: unknown; etagPrefix?: string };

function resourceOf(c: Context): string {
  const url = new URL(c.req.url);
  url.searchParams.sort();
  return `${url.pathname}${url.search}`;
}

/** One entry per resource: it carries the version it was read at, and is also the last good copy. */
const keyOf = (resource: string) => new Request(`${CACHE_ORIGIN}${resource}`);

/**
 * Drops the cached product pages of products whose held stock just changed, in this colo's
 * cache (where the buyer is): their available quantity moved without a catalog bump. Pages
 * elsewhere, and listings, follow within STOCK_LAG_MS (ADR 0022).
 */
export async function forgetProductPages(
  productIds: readonly string[],
  marketCodes: readonly string[] = [],
): Promise<void> {
  // A page per market (ADR 0032); the bare path is the default market's.
  const suffixes = ["", ...marketCodes.map((m) => `?market=${m}`)];
  await Promise.all(
    productIds.flatMap((id) => suffixes.map((s) => caches.default.delete(keyOf(`/products/${id}${s}`)))),
  );
}

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

async function serveStale(c: Context<ProductsEnv>, entry: Response | undefined, err: unknown): Promise<Response> {
  log("error", { worker: "products", requestId: c.get("requestId"), msg: "catalog read failed", error: String(err) });
  if (entry) return respond(c, entry, "stale");
  throw new Unavailable("The catalog is unavailable; try again shortly.", 5);
}

/** The entry answers for `version` if it was read at it (or later) and its stock is recent enough. */
function isCurrent(entry: Response, version: CatalogVersion, now: number): boolean {
  const [v, stamp] = (entry.headers.get(ENTRY_VERSION) ?? "").split("-");
  const storedAt = Number(entry.headers.get(ENTRY_STORED_AT));
  const sameOrNewer = Number(v) > version.version || (Number(v) === version.version && stamp === version.stamp);
  return sameOrNewer && now - storedAt < STOCK_LAG_MS;
}

/** The catalog version the caller wrote and must read back, from the header or the cookie. */
function requestedVersion(c: Context): number | undefined {
  const raw = c.req.header(CATALOG_VERSION_HEADER) ?? getCookie(c, CATALOG_VERSION_COOKIE);
  const version = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isSafeInteger(version) && version > 0 ? version : undefined;
}

/**
 * After an admin write: the new catalog version goes back as a header (API clients send it
 * on their next read) and a short cookie (the storefront's admin pages send it by themselves).
 */
export function catalogWritten(c: Context, version: CatalogVersion | undefined): void {
  if (!version) return;
  c.header(CATALOG_VERSION_HEADER, String(version.version));
  setCookie(c, CATALOG_VERSION_COOKIE, String(version.version), {
    path: "/",
    maxAge: 60,
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
  });
}

/**
 * A catalog GET through the Workers Cache API (ADR 0022). A hit costs no D1 round trip: the
 * version comes from this isolate's memo (refreshed in the background, at most a few seconds
 * old) and is compared with the version the entry carries. A miss is one round trip, the
 * page's own batch, which reads the version with the page. Without a recent memo (a cold or
 * idle isolate, or a caller that wrote a newer version, by header or cookie), an entry costs a
 * point read of the version first. If D1 fails, the entry is served as it is. `resource` names
 * the entry (default: path and sorted query; a route with list values passes its canonical form).
 */
export async function serveCatalog(
  c: Context<ProductsEnv>,
  load: () => Promise<CatalogLoad>,
  resource = resourceOf(c),
): Promise<Response> {
  const ctx = c.var.ctx;
  const key = keyOf(resource);
  const known = knownCatalogVersion(ctx, requestedVersion(c));
  const entry = await caches.default.match(key);
  if (entry) {
    let version = known;
    if (!version) {
      // Only with an entry to check: without one, the page's batch reads the version anyway.
      try {
        version = await readCatalogVersion(ctx);
      } catch (err) {
        return serveStale(c, entry, err);
      }
    }
    if (isCurrent(entry, version, Date.now())) return respond(c, entry, "hit");
  }

  const started = Date.now();
  let loaded: CatalogLoad;
  try {
    loaded = await load();
  } catch (err) {
    // The request's own fault (a bad cursor, an unknown product) is no outage: no stale copy.
    if (err instanceof DomainError || err instanceof AppError) throw err;
    return serveStale(c, entry, err);
  }
  await entry?.body?.cancel();
  noteCatalogVersion(loaded.version, started);
  const { version: v, stamp } = loaded.version;
  const stored = new Response(JSON.stringify(loaded.body), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      // The load time is part of the ETag: a reload after STOCK_LAG_MS may differ in stock only.
      etag: `"${loaded.etagPrefix ?? ""}c${v}-${stamp}-${started.toString(36)}"`,
      "cache-control": STORED_CACHE_CONTROL,
      [ENTRY_VERSION]: `${v}-${stamp}`,
      [ENTRY_STORED_AT]: String(started),
    },
  });
  ctx.defer(caches.default.put(key, stored.clone()));
  return respond(c, stored, "miss");
}
