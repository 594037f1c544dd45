import { workerVitestConfig } from "@shop/testing/vitest";

const MARKETS = [
  { code: "us", name: "United States", currency: "USD", countries: ["US"], default: true },
  { code: "eu", name: "Euro area", currency: "EUR", countries: ["DE", "FR"], default: false },
  { code: "gb", name: "United Kingdom", currency: "GBP", countries: ["GB"], default: false },
];

type Seen = { url: string; method: string; headers: Record<string, string>; body: string };

/**
 * The gateway's own behaviour (routing, header hygiene, CORS, throttling, aggregation) is
 * tested against recording services: each binding answers with what it received. The real
 * services behind the gateway are exercised end to end in e2e/.
 */
function recordingService(name: string, opts: { status?: number; down?: boolean } = {}) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (opts.down) return new Response(`Worker "${name}" not found.`, { status: 503 });
    if (request.headers.get("x-test-fail")) {
      return Response.json(
        { code: "internal", status: 500 },
        { status: 500, headers: { "content-type": "application/problem+json" } },
      );
    }
    if (url.pathname === "/health") return Response.json({ status: "ok", worker: name });
    // The market map the edge resolves shoppers' markets with (ADR 0032), as products lists it.
    if (name === "products" && url.pathname === "/markets") return Response.json({ items: MARKETS });
    if (url.pathname === "/openapi.json") {
      return Response.json({
        openapi: "3.1.0",
        paths: { [`/${name}`]: { get: { summary: `list ${name}` } } },
        components: { schemas: { [`${name}Thing`]: { type: "object" } } },
      });
    }
    const seen: Seen = {
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    };
    // Catalog pages say whether they were computed afresh, as the products service does.
    const headers = new Headers(name === "products" ? { "x-cache": url.searchParams.get("cache") ?? "miss" } : {});
    // A service's cookie (users' refresh cookie) must reach the browser unchanged.
    const cookie = request.headers.get("x-test-set-cookie");
    if (cookie) headers.append("set-cookie", cookie);
    // A service's own Cache-Control (e.g. a personal answer's no-store).
    const cacheControl = request.headers.get("x-test-cache-control");
    if (cacheControl) headers.set("cache-control", cacheControl);
    const etag = request.headers.get("x-test-etag");
    if (etag) headers.set("etag", etag);
    return Response.json({ service: name, seen }, { status: opts.status ?? 200, headers });
  };
}

export default workerVitestConfig({
  worker: "gateway",
  miniflare: {
    serviceBindings: {
      USERS: recordingService("users"),
      PRODUCTS: recordingService("products"),
      ORDERS: recordingService("orders"),
      PAYMENTS: recordingService("payments", { status: 500 }),
      NOTIFICATIONS: recordingService("notifications", { down: true }),
    },
  },
});
