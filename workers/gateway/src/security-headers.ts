import { CATALOG_VERSION_HEADER, MARKET_HEADER } from "@shop/contracts";
import type { MiddlewareHandler } from "hono";

/**
 * Answer headers a cross-origin client may read (CORS). x-catalog-version: an admin client reads
 * it back to see its own write (ADR 0022).
 */
export const EXPOSED_HEADERS = [
  "x-request-id",
  "x-cart-id",
  "etag",
  "retry-after",
  "location",
  CATALOG_VERSION_HEADER,
  // The market a catalog or cart answer is priced in (ADR 0032).
  MARKET_HEADER,
];

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The API reference page boots its UI with an inline script. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Sets the security headers on an answer to `path`: pages get a CSP that lets the storefront run, APIs one that lets nothing. */
export function applySecurityHeaders(h: Headers, path: string): void {
  const isPage = (h.get("content-type") ?? "").startsWith("text/html");
  h.set("strict-transport-security", "max-age=63072000; includeSubDomains; preload");
  h.set("x-content-type-options", "nosniff");
  h.set("x-frame-options", "DENY");
  // A service may be stricter (a page whose URL carries a secret sends no referrer at all).
  if (!h.has("referrer-policy")) h.set("referrer-policy", "strict-origin-when-cross-origin");
  h.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
  h.set("cross-origin-opener-policy", "same-origin");
  const csp = !isPage ? API_CSP : path === "/docs" ? DOCS_CSP : PAGE_CSP;
  if (!h.has("content-security-policy")) h.set("content-security-policy", csp);
  h.delete("x-powered-by");
}

/** Security headers on every response the app writes. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  applySecurityHeaders(c.res.headers, c.req.path);
};
