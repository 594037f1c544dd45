import { REQUEST_ID_HEADER } from "@shop/contracts";
import { log, requestIdFrom } from "@shop/runtime";
import { hotCatalogPage, hotKeyOf, hotRefreshDue } from "./hot-catalog";
import { isPricedCatalogPath, knownMarkets, marketQueryOf, resolveMarket } from "./markets";
import { applySecurityHeaders, EXPOSED_HEADERS } from "./security-headers";

/**
 * The edge's answer to a hot public catalog page, before the app's middleware runs (ADR 0024):
 * a hit costs a map lookup and the edge's headers, nothing else. Everything the app would add to
 * such an answer is added here: the request id, the security headers and the (sampled) log line.
 * A miss, a page due for its background refresh, and every other request go to the app.
 */
export function answerFromHotPath(req: Request): Response | undefined {
  const path = pathOf(req.url);
  // A priced page is kept per market (ADR 0032): without a recent market list, the app reads it.
  let market: string | undefined;
  if (isPricedCatalogPath(path)) {
    const list = knownMarkets();
    if (!list) return undefined;
    let query: string | undefined;
    try {
      query = marketQueryOf(req.url);
    } catch {
      return undefined; // a malformed market: the app answers the 400
    }
    market = resolveMarket(req, list, query)?.code;
  }
  const key = hotKeyOf(req, path, market);
  if (!key || hotRefreshDue(key)) return undefined;
  const res = hotCatalogPage(req, key, (h) => {
    applySecurityHeaders(h, path);
    // What the app's CORS middleware writes on a same-origin answer (a kept request has no
    // Origin): caches must still tell it apart from a cross-origin one.
    h.set("access-control-expose-headers", EXPOSED_HEADERS.join(","));
    h.append("vary", "Origin");
  });
  if (!res) return undefined;
  const requestId = requestIdFrom(req.headers.get(REQUEST_ID_HEADER));
  res.headers.set(REQUEST_ID_HEADER, requestId);
  log("info", { worker: "gateway", requestId, method: "GET", route: "hot", path, status: res.status, durationMs: 0 });
  return res;
}

/** The URL's path, without parsing the whole URL. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}
