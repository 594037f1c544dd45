import { CATALOG_VERSION_COOKIE, CATALOG_VERSION_HEADER, EDGE_HOT_CATALOG_MS, MARKET_HEADER } from "@shop/contracts";

/**
 * Hot public catalog pages, kept in this isolate's memory for at most EDGE_HOT_CATALOG_MS
 * (ADR 0024): a hit answers at the edge and never crosses to the products worker, whose own
 * cache (ADR 0022) stays the source of every copy. Only anonymous GETs of catalog pages that
 * carry no catalog version (an admin reading back a write always goes through), and only
 * shareable 200 answers, are kept. Bounded in entries and bytes; the oldest goes first.
 */
export const HOT_MAX_ENTRIES = 256;
export const HOT_MAX_BYTES = 8 * 1024 * 1024;
/** A page larger than this is not worth a slot. */
const HOT_MAX_ENTRY_BYTES = 256 * 1024;
/** Marks an answer given from this isolate's memory. */
export const EDGE_CACHE_HEADER = "x-edge-cache";

/**
 * A page older than this is still served, and one request refreshes it from products in the
 * background (stale-while-revalidate inside the bound): a page asked for steadily is always
 * answered here, and never served past EDGE_HOT_CATALOG_MS. Early in the page's life, so a
 * reload slowed by a busy products isolate still lands before the page expires.
 */
export const HOT_REFRESH_AFTER_MS = EDGE_HOT_CATALOG_MS / 4;

type Entry = {
  body: ArrayBuffer;
  headers: [string, string][];
  etag: string | null;
  storedAt: number;
  refreshing: boolean;
  /** The headers of a hit on the hot path, decorated once per kept page (see `hotCatalogPage`). */
  hitHeaders?: [string, string][];
};
const entries = new Map<string, Entry>();
let bytes = 0;

const CATALOG_PATH = /^\/(?:products(?:\/[^/]+)?|categories)$/;

/** A `catalog_version` cookie among the request's cookies (an admin reading back a write). */
const VERSION_COOKIE = new RegExp(`(?:^|;)\\s*${CATALOG_VERSION_COOKIE}=`);

/**
 * The key of a request the hot cache may answer, or undefined when it must go to products. A
 * priced page is kept per market (ADR 0032): `market` is the shopper's, resolved by the edge.
 */
export function hotKeyOf(req: Request, path: string, market?: string): string | undefined {
  if (req.method !== "GET" || !CATALOG_PATH.test(path)) return undefined;
  const h = req.headers;
  // Personal or read-your-writes reads, and cross-origin ones (CORS answers vary on Origin).
  if (h.has("authorization") || h.has(CATALOG_VERSION_HEADER) || h.has("origin")) return undefined;
  if (VERSION_COOKIE.test(h.get("cookie") ?? "")) return undefined;
  return `${market ?? ""}|${req.url}`;
}

function drop(key: string, entry: Entry): void {
  entries.delete(key);
  bytes -= entry.body.byteLength;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
}

/**
 * The kept answer for `key` if it is younger than EDGE_HOT_CATALOG_MS (a 304 when the client has
 * it). `decorate` adds the edge's own headers that are the same on every hit of this page (the
 * hot path's security headers, CORS exposure, `Vary`); they are worked out on the first hit and
 * kept with the page, so later hits copy one header list instead of rewriting it.
 */
export function hotCatalogPage(req: Request, key: string, decorate?: (h: Headers) => void): Response | undefined {
  const entry = entries.get(key);
  if (!entry) return undefined;
  const age = Date.now() - entry.storedAt;
  if (age >= EDGE_HOT_CATALOG_MS || age < 0) {
    drop(key, entry);
    return undefined;
  }
  let headers: Headers;
  if (decorate) {
    if (!entry.hitHeaders) {
      const h = new Headers(entry.headers);
      h.set(EDGE_CACHE_HEADER, "hit");
      decorate(h);
      entry.hitHeaders = [...h];
    }
    headers = new Headers(entry.hitHeaders);
  } else {
    headers = new Headers(entry.headers);
    headers.set(EDGE_CACHE_HEADER, "hit");
  }
  if (etagMatches(req.headers.get("if-none-match") ?? undefined, entry.etag)) {
    headers.delete("content-type");
    headers.delete("content-length");
    return new Response(null, { status: 304, headers });
  }
  return new Response(entry.body, { status: 200, headers });
}

export function forgetHotPages(): void {
  entries.clear();
  bytes = 0;
}

/** True when a kept page is past HOT_REFRESH_AFTER_MS and no request is refreshing it yet. */
export function hotRefreshDue(key: string): boolean {
  const entry = entries.get(key);
  return entry !== undefined && !entry.refreshing && Date.now() - entry.storedAt >= HOT_REFRESH_AFTER_MS;
}

/** True once for a kept page past HOT_REFRESH_AFTER_MS: the caller refreshes it in the background. */
export function claimHotRefresh(key: string): boolean {
  const entry = entries.get(key);
  if (!entry || !hotRefreshDue(key)) return false;
  entry.refreshing = true;
  return true;
}

/** A refresh that kept nothing: the next request past the refresh age may try again. */
export function releaseHotRefresh(key: string): void {
  const entry = entries.get(key);
  if (entry) entry.refreshing = false;
}

function isKeepable(res: Response): boolean {
  const h = res.headers;
  const length = Number(h.get("content-length") ?? 0);
  return (
    res.status === 200 &&
    res.body !== null &&
    length <= HOT_MAX_ENTRY_BYTES &&
    // Only what products computed or had cached: never a stale copy from an outage.
    (h.get("x-cache") === "hit" || h.get("x-cache") === "miss") &&
    !h.has("set-cookie") &&
    // Kept per URL: an answer may vary only on what a kept request never carries or the platform handles.
    (h.get("vary") ?? "").split(",").every((v) =>
      // The market's inputs (its header and cookie) are part of the key already.
      ["", "authorization", "accept-encoding", MARKET_HEADER, "cookie"].includes(v.trim().toLowerCase()),
    ) &&
    !/(^|,)\s*(no-store|private)\b/i.test(h.get("cache-control") ?? "")
  );
}

/** Keeps a shareable 200 answer for `key` and answers with the same bytes. */
export async function keepHotCatalogPage(key: string, res: Response): Promise<Response> {
  if (!isKeepable(res)) {
    releaseHotRefresh(key);
    return res;
  }
  const storedAt = Date.now();
  const body = await res.arrayBuffer();
  const out = new Response(body, res);
  if (body.byteLength > HOT_MAX_ENTRY_BYTES) return out;
  const old = entries.get(key);
  if (old) drop(key, old);
  const headers = [...res.headers].filter(([k]) => k !== "content-length");
  entries.set(key, { body, headers, etag: res.headers.get("etag"), storedAt, refreshing: false });
  bytes += body.byteLength;
  for (const [k, e] of entries) {
    if (entries.size <= HOT_MAX_ENTRIES && bytes <= HOT_MAX_BYTES) break;
    drop(k, e);
  }
  return out;
}
