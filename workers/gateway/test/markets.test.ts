import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const ORIGIN = "https://shop.test";

type Recorded = { service: string; seen: { url: string; headers: Record<string, string> } };

/**
 * A request as Cloudflare's edge hands it over, from a shopper in `country` (request.cf.country).
 * The recording products service answers `GET /markets` with us (default, US), eu (DE, FR) and
 * gb (GB); see vitest.config.ts.
 */
async function fromCountry(path: string, country: string | undefined, headers: Record<string, string> = {}) {
  const init: RequestInit = { headers };
  if (country) (init as { cf?: unknown }).cf = { country };
  const res = await SELF.fetch(`${ORIGIN}${path}`, init);
  const body = (await res.json()) as Recorded;
  return { res, body, url: new URL(body.seen.url) };
}

describe("the shopper's market (ADR 0032)", () => {
  it("comes from the country: a shopper in Germany browses the euro market", async () => {
    const { res, url } = await fromCountry(`/products?q=m-${Date.now()}`, "DE");
    expect(url.searchParams.get("market")).toBe("eu");
    expect(res.headers.get("x-market")).toBe("eu");
    expect(res.headers.get("vary")?.toLowerCase()).toContain("x-market");
    const page = await fromCountry("/products/prd_01jdseed000000000000000001", "FR");
    expect(page.url.searchParams.get("market")).toBe("eu");
  });

  it("is the default market for a country no market names, or no country at all, and the URL stays canonical", async () => {
    for (const country of ["JP", undefined, "US"]) {
      const { res, url } = await fromCountry(`/products?q=d-${Date.now()}&limit=5`, country);
      expect(url.searchParams.has("market"), String(country)).toBe(false);
      expect(url.searchParams.get("limit")).toBe("5");
      expect(res.headers.get("x-market")).toBe("us");
    }
  });

  it("follows the shopper's choice over the country: header over cookie; a choice naming no market is ignored", async () => {
    const path = () => `/products?q=c-${Date.now()}`;
    const cookie = await fromCountry(path(), "DE", { cookie: "theme=dark; market=gb" });
    expect(cookie.url.searchParams.get("market")).toBe("gb");
    expect(cookie.res.headers.get("x-market")).toBe("gb");
    const header = await fromCountry(path(), "DE", { cookie: "market=gb", "x-market": "US" });
    expect(header.url.searchParams.has("market")).toBe(false);
    expect(header.res.headers.get("x-market")).toBe("us");
    for (const bad of ["zz", "", "e u", "../eu"]) {
      const ignored = await fromCountry(path(), "DE", { cookie: `market=${bad}`, "x-market": bad });
      expect(ignored.res.status, bad).toBe(200);
      expect(ignored.url.searchParams.get("market"), bad).toBe("eu");
    }
    // The documented `market` query parameter is a choice too, over header and cookie; one naming
    // no market is ignored like them, and the edge writes the one it resolved.
    const url = await fromCountry(`/products?q=u-${Date.now()}&market=gb`, "US", { "x-market": "eu" });
    expect(url.url.searchParams.get("market")).toBe("gb");
    expect(url.res.headers.get("x-market")).toBe("gb");
    const unknown = await fromCountry(`/products?q=k-${Date.now()}&market=zz`, "US");
    expect(unknown.url.searchParams.has("market")).toBe(false);
  });

  it("refuses a malformed market in a catalog URL with a 400 naming it, as the document says", async () => {
    for (const path of ["/products?market=4.5", "/products/prd_01jdseed000000000000000001?market=E%20U"]) {
      const res = await SELF.fetch(`${ORIGIN}${path}`, { headers: {} });
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toEqual(["market"]);
    }
  });

  it("goes to orders as an x-market header on every cart and order request, never the client's raw value", async () => {
    const cart = await fromCountry("/cart", "DE", { "x-market": "nonsense" });
    expect(cart.body.service).toBe("orders");
    expect(cart.body.seen.headers["x-market"]).toBe("eu");
    expect(cart.res.headers.get("x-market")).toBe("eu");
    const orders = await fromCountry("/orders", "GB");
    expect(orders.body.seen.headers["x-market"]).toBe("gb");
    // Not a priced route: nothing added.
    const users = await fromCountry("/users/me", "DE", { "x-market": "gb" });
    expect(users.res.headers.get("x-market")).toBeNull();
  });

  it("keeps hot catalog pages per market: a page kept for Germany is never the answer in the US", async () => {
    const path = `/products?q=h-${Date.now()}`;
    const de = await fromCountry(path, "DE");
    const deAgain = await fromCountry(path, "DE");
    expect(deAgain.res.headers.get("x-edge-cache")).toBe("hit");
    expect(deAgain.res.headers.get("x-market")).toBe("eu");
    expect(deAgain.body.seen.headers["x-request-id"]).toBe(de.body.seen.headers["x-request-id"]);

    const us = await fromCountry(path, "US");
    expect(us.res.headers.get("x-edge-cache")).toBeNull();
    expect(us.res.headers.get("x-market")).toBe("us");
    expect(us.url.searchParams.has("market")).toBe(false);
    // The shopper in Germany who picked pounds gets a page of their own too.
    const chosen = await fromCountry(path, "DE", { cookie: "market=gb" });
    expect(chosen.res.headers.get("x-edge-cache")).toBeNull();
    expect(chosen.url.searchParams.get("market")).toBe("gb");
  });

  it("lets cross-origin clients send and read x-market", async () => {
    const res = await SELF.fetch(`${ORIGIN}/products`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:8787",
        "access-control-request-method": "GET",
        "access-control-request-headers": "x-market",
      },
    });
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-market");
    const get = await SELF.fetch(`${ORIGIN}/products?q=x-${Date.now()}`, {
      headers: { origin: "http://localhost:8787" },
    });
    expect(get.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("x-market");
  });
});

describe("the market list", () => {
  it("is products' GET /markets, answered with the shopper's own market", async () => {
    const res = await SELF.fetch(`${ORIGIN}/markets`, { headers: { cookie: "market=gb" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-market")).toBe("gb");
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    const { items } = (await res.json()) as { items: { code: string }[] };
    expect(items.map((m) => m.code)).toEqual(["us", "eu", "gb"]);
  });
});
