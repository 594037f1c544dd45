import type { MiddlewareHandler } from "hono";

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Security headers on every response; pages get a CSP that lets the storefront run, APIs one that lets nothing. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const h = c.res.headers;
  const isPage = (h.get("content-type") ?? "").startsWith("text/html");
  h.set("strict-transport-security", "max-age=63072000; includeSubDomains; preload");
  h.set("x-content-type-options", "nosniff");
  h.set("x-frame-options", "DENY");
  h.set("referrer-policy", "strict-origin-when-cross-origin");
  h.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
  h.set("cross-origin-opener-policy", "same-origin");
  if (!h.has("content-security-policy")) h.set("content-security-policy", isPage ? PAGE_CSP : API_CSP);
  h.delete("x-powered-by");
};
