import {
  MARKET_COOKIE,
  MARKET_HEADER,
  MARKETS_MEMO_MS,
  type Market,
  MarketCode,
  marketOfCountry,
} from "@shop/contracts";
import { Invalid, log } from "@shop/runtime";

/**
 * The shop's markets (ADR 0032) as products lists them (`GET /markets`: each market's currency
 * and countries), kept in this isolate for MARKETS_MEMO_MS like the catalog version memo: a
 * market's new countries reach every shopper within that bound. One request reloads it, the
 * others wait for that load; a failed load keeps the old list, and with none the request goes
 * on without a market (products then prices in the default market).
 */
let memo: { list: Market[]; at: number } | undefined;
let loading: Promise<Market[]> | undefined;

const isFresh = (now: number) => memo !== undefined && now >= memo.at && now - memo.at < MARKETS_MEMO_MS;

/** The markets if this isolate read them recently: the hot path has no time to load them. */
export function knownMarkets(): Market[] | undefined {
  return isFresh(Date.now()) ? memo?.list : undefined;
}

export async function loadMarkets(products: Fetcher | undefined): Promise<Market[]> {
  if (isFresh(Date.now()) && memo) return memo.list;
  if (!products) return memo?.list ?? [];
  loading ??= (async () => {
    try {
      const res = await products.fetch(new Request("https://products.internal/markets"));
      if (!res.ok) throw new Error(`GET /markets answered ${res.status}`);
      const { items } = (await res.json()) as { items?: Market[] };
      if (!Array.isArray(items)) throw new Error("GET /markets answered no list");
      memo = { list: items, at: Date.now() };
      return items;
    } catch (err) {
      log("warn", { worker: "gateway", msg: "markets could not be read", error: String(err) });
      return memo?.list ?? [];
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

/** The value of one cookie in a Cookie header, without parsing the others. */
function cookieOf(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The request's country as Cloudflare's edge sets it (`request.cf.country`). Locally, `wrangler
 * dev` (Miniflare) fills `cf` from its own defaults, or from an `MF-CF-Blob` request header that
 * its entry worker reads and strips: that is how e2e tests play a shopper in Germany, with no
 * test code in this worker.
 */
export function countryOf(req: Request): string | undefined {
  const country = (req.cf as { country?: unknown } | undefined)?.country;
  return typeof country === "string" ? country : undefined;
}

/**
 * The `market` a client put in a catalog URL (the documented query parameter): a malformed one is
 * refused with a 400 naming it, as the document says; a well-formed one is the shopper's choice.
 */
export function marketQueryOf(url: string): string | undefined {
  const given = new URL(url).searchParams.get("market");
  if (given === null) return undefined;
  if (!MarketCode.safeParse(given).success) {
    throw new Invalid(
      [{ path: "market", message: "is not a market code (2–8 lower-case letters or digits)" }],
      "query",
    );
  }
  return given;
}

/**
 * The shopper's market: their explicit choice (the `market` query parameter of a catalog read,
 * else the `x-market` header, else the `market` cookie) if it names a market, else their
 * country's, else the default one. A choice naming no market (a removed market, a typo) is
 * ignored rather than refused: browsing goes on in the country's market.
 */
export function resolveMarket(req: Request, list: readonly Market[], query?: string): Market | undefined {
  if (list.length === 0) return undefined;
  const h = req.headers;
  for (const choice of [query, h.get(MARKET_HEADER), cookieOf(h.get("cookie"), MARKET_COOKIE)]) {
    const code = choice?.trim().toLowerCase();
    const chosen = code ? list.find((m) => m.code === code) : undefined;
    if (chosen) return chosen;
  }
  return marketOfCountry(list, countryOf(req));
}

/**
 * The URL products prices a catalog read with: `market` set to the shopper's, or left out for the
 * default market (its canonical form, which products caches as before markets). A `market` the
 * client put in the URL has been resolved like any other choice (`resolveMarket`) and is replaced.
 */
export function marketUrl(url: string, market: Market | undefined): string {
  const u = new URL(url);
  if (!market && !u.searchParams.has("market")) return url;
  if (market && !market.default) u.searchParams.set("market", market.code);
  else u.searchParams.delete("market");
  return u.toString();
}

/** Catalog reads priced per market: the product list and a product's page. */
export const isPricedCatalogPath = (path: string) => path === "/products" || /^\/products\/[^/]+$/.test(path);
