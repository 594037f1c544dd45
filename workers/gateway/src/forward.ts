import {
  CLIENT_IP_HEADER,
  INTERNAL_HEADER_PREFIX,
  MARKET_HEADER,
  type Market,
  REQUEST_ID_HEADER,
  TRACEPARENT_HEADER,
} from "@shop/contracts";
import { log, Unavailable } from "@shop/runtime";
import type { Context } from "hono";
import { isCatalogRead, lastGoodCatalogPage, rememberCatalogPage } from "./catalog-fallback";
import type { GatewayEnv } from "./env";
import {
  claimHotRefresh,
  forgetHotPages,
  hotCatalogPage,
  hotKeyOf,
  keepHotCatalogPage,
  releaseHotRefresh,
} from "./hot-catalog";
import { isPricedCatalogPath, loadMarkets, marketQueryOf, marketUrl, resolveMarket } from "./markets";
import { SERVICES, type ServiceBinding } from "./services";

/** Client headers that must never reach a service as if the edge had set them. */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-authorization",
  "te",
  "trailer",
  "upgrade",
  "x-forwarded-host",
]);

export function clientIp(c: Context<GatewayEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "local";
}

/**
 * Forwards the request unchanged (method, path, query, body) to the owning worker over
 * its service binding, with the edge's request id and trace, and the client's internal
 * headers stripped. A missing or failing service is a 503 problem, not a 500 (thrown as
 * `Unavailable`: the runtime's one mapping writes it, with Retry-After).
 */
export async function forward(c: Context<GatewayEnv>, binding: ServiceBinding): Promise<Response> {
  const service = c.env[binding];
  const requestId = c.get("requestId");
  if (!service) throw unavailable(binding);
  // The shopper's market (ADR 0032): catalog prices and every cart and order request are in it,
  // and the market list says which one is the shopper's (the storefront's selector shows it).
  const priced = binding === "PRODUCTS" && isPricedCatalogPath(c.req.path);
  const market =
    priced || binding === "ORDERS" || c.req.path === "/markets"
      ? resolveMarket(c.req.raw, await loadMarkets(c.env.PRODUCTS), priced ? marketQueryOf(c.req.url) : undefined)
      : undefined;
  const url = priced ? marketUrl(c.req.url, market) : c.req.url;
  // A hot catalog page answers here, without crossing to products (ADR 0024); kept per market.
  const hotKey = binding === "PRODUCTS" ? hotKeyOf(c.req.raw, c.req.path, market?.code) : undefined;
  if (hotKey) {
    const hot = hotCatalogPage(c.req.raw, hotKey);
    if (hot) {
      if (claimHotRefresh(hotKey)) c.executionCtx.waitUntil(refreshHotPage(c, service, hotKey, url, market));
      return hot;
    }
  }
  const init: RequestInit = { method: c.req.method, headers: outgoingHeaders(c, market), redirect: "manual" };
  if (c.req.method !== "GET" && c.req.method !== "HEAD") init.body = c.req.raw.body;
  const catalog = binding === "PRODUCTS" && isCatalogRead(c);
  let res: Response;
  try {
    res = await service.fetch(new Request(url, init));
  } catch (err) {
    log("error", {
      worker: "gateway",
      requestId,
      msg: "service call failed",
      service: SERVICES[binding].name,
      error: String(err),
    });
    const stale = catalog ? await lastGoodCatalogPage(c, url) : undefined;
    if (stale) return stale;
    throw unavailable(binding);
  }
  if (res.status >= 500) {
    const stale = catalog ? await lastGoodCatalogPage(c, url) : undefined;
    if (stale) {
      await res.body?.cancel();
      return stale;
    }
    // A service's own errors are already problem+json; anything else is the platform's
    // (e.g. a worker that is not running) and is not the client's business.
    if (!(res.headers.get("content-type") ?? "").includes("problem+json")) {
      await res.body?.cancel();
      throw unavailable(binding);
    }
  }
  // An order placed or cancelled, or an admin's catalog change, may move what a kept page shows.
  if (movesCatalog(binding, c.req.method, c.req.path)) forgetHotPages();
  // Hono sets the edge's headers on this answer; a service binding's headers are immutable.
  const out = new Response(res.body, res);
  if (market) marketHeaders(out.headers, market.code);
  // The list names the shopper's own market, which follows their country too: no shared copy.
  if (market && c.req.path === "/markets") out.headers.set("cache-control", "private, no-cache");
  if (!catalog) return out;
  const kept = rememberCatalogPage(c, out, url);
  return hotKey ? keepHotCatalogPage(hotKey, kept) : kept;
}

/**
 * The market an answer is in, and what it varies on besides its URL: the shopper's choice (header,
 * cookie). Their country is not a request header; caches revalidate such answers anyway, and the
 * ETag differs per market.
 */
function marketHeaders(h: Headers, code: string): void {
  h.set(MARKET_HEADER, code);
  h.append("vary", `${MARKET_HEADER}, Cookie`);
}

/**
 * The client's headers as they are, less the few the edge owns (names come lower-cased), plus the
 * edge's; `x-market` is the market the edge resolved, never the client's word for it.
 */
function outgoingHeaders(c: Context<GatewayEnv>, market?: Market): Headers {
  const headers = new Headers(c.req.raw.headers);
  for (const key of [...headers.keys()]) {
    if (key.startsWith(INTERNAL_HEADER_PREFIX) || HOP_HEADERS.has(key)) headers.delete(key);
  }
  headers.delete(MARKET_HEADER);
  if (market) headers.set(MARKET_HEADER, market.code);
  headers.set(REQUEST_ID_HEADER, c.get("requestId"));
  headers.set(TRACEPARENT_HEADER, c.get("traceparent"));
  headers.set(CLIENT_IP_HEADER, clientIp(c));
  return headers;
}

/**
 * Reloads a hot catalog page after its answer went out (ADR 0024): the page products gives
 * now replaces the kept one, and is the last good copy too when products computed it.
 */
async function refreshHotPage(
  c: Context<GatewayEnv>,
  service: Fetcher,
  key: string,
  url: string,
  market: Market | undefined,
): Promise<void> {
  const headers = outgoingHeaders(c, market);
  // The whole page, whatever the client already had.
  headers.delete("if-none-match");
  headers.delete("if-modified-since");
  try {
    const res = await service.fetch(new Request(url, { method: "GET", headers, redirect: "manual" }));
    const fresh = new Response(res.body, res);
    if (market) marketHeaders(fresh.headers, market.code);
    const kept = await keepHotCatalogPage(key, rememberCatalogPage(c, fresh, url));
    await kept.body?.cancel();
  } catch (err) {
    releaseHotRefresh(key);
    log("warn", { worker: "gateway", msg: "hot catalog page refresh failed", error: String(err) });
  }
}

/** Writes whose answer may change a catalog page: any write to orders or products. */
/**
 * Writes to orders other than the cart's, and every write to products. A cart write and the
 * checkout quote hold no stock (the reserve happens when the order is placed) and change no
 * product, so the pages kept for every other shopper stay (ADR 0024).
 */
const CART_ONLY = /^\/(?:cart(?:\/|$)|checkout\/quote$)/;

function movesCatalog(binding: ServiceBinding, method: string, path: string): boolean {
  if (method === "GET" || method === "HEAD") return false;
  if (binding === "PRODUCTS") return true;
  return binding === "ORDERS" && !CART_ONLY.test(path);
}

function unavailable(binding: ServiceBinding): Unavailable {
  return new Unavailable(`The ${SERVICES[binding].name} service is not available.`, 5);
}
