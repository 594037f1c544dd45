import { SELF } from "cloudflare:test";
import { EDGE_HOT_CATALOG_MS } from "@shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HOT_MAX_ENTRIES, HOT_REFRESH_AFTER_MS } from "../src/hot-catalog";

const ORIGIN = "https://shop.test";

/**
 * Moves this isolate's clock past the gateway's hot copy (the worker runs in the test's
 * isolate); timers stay real. The moves add up, so the clock never goes back.
 */
let skew = 0;
function advance(ms: number): void {
  skew += ms;
  vi.useRealTimers();
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + skew });
}
const pastHotCopy = () => advance(EDGE_HOT_CATALOG_MS + 1);
afterEach(() => {
  vi.useRealTimers();
});

describe("routing to services", () => {
  it("forwards each public prefix to its owning worker with method, path, query and body intact", async () => {
    const cases: [string, string][] = [
      ["/users/me", "users"],
      ["/.well-known/jwks.json", "users"],
      ["/products?q=mug&limit=5", "products"],
      ["/categories", "products"],
      ["/cart/items/prd_x", "orders"],
      ["/orders/ord_1/cancel", "orders"],
      ["/checkout/quote", "orders"],
      ["/promotions", "orders"],
      ["/shipping/zones/eu", "orders"],
    ];
    for (const [path, service] of cases) {
      const res = await SELF.fetch(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(200);
      const body = (await res.json()) as { service: string; seen: { url: string } };
      expect(body.service, path).toBe(service);
      expect(new URL(body.seen.url).pathname + new URL(body.seen.url).search).toBe(path);
    }
    const post = await SELF.fetch(`${ORIGIN}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "key-12345678" },
      body: JSON.stringify({ paymentMethod: "pm_card_visa" }),
    });
    const seen = ((await post.json()) as { seen: { method: string; body: string; headers: Record<string, string> } })
      .seen;
    expect(seen.method).toBe("POST");
    expect(JSON.parse(seen.body)).toEqual({ paymentMethod: "pm_card_visa" });
    expect(seen.headers["idempotency-key"]).toBe("key-12345678");
  });

  it("does not treat look-alike prefixes as a service's routes", async () => {
    const res = await SELF.fetch(`${ORIGIN}/usersx`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("strips client-supplied internal headers and sets request id, trace and client ip itself", async () => {
    const res = await SELF.fetch(`${ORIGIN}/users/me`, {
      headers: {
        "x-shop-client-ip": "6.6.6.6",
        "x-shop-role": "admin",
        "cf-connecting-ip": "203.0.113.9",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      },
    });
    const { seen } = (await res.json()) as { seen: { headers: Record<string, string> } };
    expect(seen.headers["x-shop-role"]).toBeUndefined();
    expect(seen.headers["x-shop-client-ip"]).toBe("203.0.113.9");
    expect(seen.headers["x-request-id"]).toBe(res.headers.get("x-request-id"));
    // Same trace, new span.
    expect(seen.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(seen.headers.traceparent).not.toContain("b7ad6b7169203331");
  });

  it("passes the refresh cookie through both ways: the request's Cookie in, the service's Set-Cookie out", async () => {
    const setCookie = "shop_refresh=abc; Max-Age=2592000; Path=/users; HttpOnly; Secure; SameSite=Strict";
    const res = await SELF.fetch(`${ORIGIN}/users/refresh`, {
      method: "POST",
      headers: { cookie: "shop_refresh=old-token", "x-test-set-cookie": setCookie },
    });
    const { seen } = (await res.json()) as { seen: { headers: Record<string, string> } };
    expect(seen.headers.cookie).toBe("shop_refresh=old-token");
    expect(res.headers.getSetCookie()).toEqual([setCookie]);
  });

  it("keeps a service's own error responses but hides platform failures behind a 503 problem", async () => {
    const payments = await SELF.fetch(`${ORIGIN}/payments`);
    expect(payments.status).toBe(503);
    expect(payments.headers.get("content-type")).toContain("application/problem+json");
    expect(((await payments.json()) as { code: string }).code).toBe("service_unavailable");

    const down = await SELF.fetch(`${ORIGIN}/notifications`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { code: string; detail: string };
    expect(body.code).toBe("service_unavailable");
    expect(body.detail).not.toContain("Worker");
    expect(down.headers.get("retry-after")).toBe("5");
  });
});

describe("edge policies", () => {
  it("sets security headers on API responses", async () => {
    const res = await SELF.fetch(`${ORIGIN}/products`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("allows CORS only for configured origins", async () => {
    const allowed = await SELF.fetch(`${ORIGIN}/products`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:8787", "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:8787");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("x-catalog-version");
    // An admin client in the browser reads the version its write made (read-your-writes).
    const read = await SELF.fetch(`${ORIGIN}/products`, { headers: { origin: "http://localhost:8787" } });
    expect(read.headers.get("access-control-expose-headers")).toContain("x-catalog-version");
    await read.body?.cancel();
    const denied = await SELF.fetch(`${ORIGIN}/products`, {
      method: "OPTIONS",
      headers: { origin: "https://attacker.example", "access-control-request-method": "POST" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("throttles sign-in attempts per client with 429 and Retry-After", async () => {
    const attempt = () =>
      SELF.fetch(`${ORIGIN}/users/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.7" },
        body: JSON.stringify({ email: "a@example.com", password: "x" }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    // Another client is not affected.
    const other = await SELF.fetch(`${ORIGIN}/users/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.8" },
      body: "{}",
    });
    expect(other.status).toBe(200);
  });

  it("refuses bodies over 1 MB with 413 and non-JSON bodies with 415", async () => {
    const big = await SELF.fetch(`${ORIGIN}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe("payload_too_large");
    const form = await SELF.fetch(`${ORIGIN}/orders`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=b",
    });
    expect(form.status).toBe(415);
    // The one form the shop serves (the simulated bank's 3-D Secure page) reaches payments as is.
    const bank = await SELF.fetch(`${ORIGIN}/payments/authenticate/pi_sim_abc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=approve&client_secret=s",
    });
    // (This suite's payments service answers 500, which the gateway hides behind a 503: it got through.)
    expect(bank.status).toBe(503);
    expect(((await bank.json()) as { code: string }).code).not.toBe("unsupported_media_type");
    expect(
      (
        await SELF.fetch(`${ORIGIN}/payments/authenticate/pi_sim_abc/x`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "a=b",
        })
      ).status,
    ).toBe(415);
  });
});

describe("aggregates", () => {
  it("reports each service's health and is 503 while one is down", async () => {
    const res = await SELF.fetch(`${ORIGIN}/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; services: Record<string, { status: string }> };
    expect(body.status).toBe("degraded");
    expect(body.services.users?.status).toBe("ok");
    expect(body.services.notifications?.status).toBe("down");
  });

  it("merges the services' OpenAPI documents and names the ones missing", async () => {
    const res = await SELF.fetch(`${ORIGIN}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
      info: { description?: string };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/users", "/products", "/orders", "/payments", "/health"]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["usersThing", "productsThing"]));
    expect(doc.info.description).toContain("**Not included** (service unavailable): notifications");
  });

  it("serves the interactive API reference from its own assets", async () => {
    const res = await SELF.fetch(`${ORIGIN}/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html).toContain("/docs/api-reference.js");
  });
});

describe("test-only switches", () => {
  it("has no fault switches in its production build (ADR 0015)", async () => {
    expect((await SELF.fetch(`${ORIGIN}/__faults/products`)).status).toBe(404);
    expect((await SELF.fetch(`${ORIGIN}/__faults`)).status).toBe(404);
  });
});

describe("catalog fallback at the edge", () => {
  it("serves the last good catalog page when the products service fails, and only for catalog reads", async () => {
    const url = `${ORIGIN}/products?q=fallback-${Date.now()}`;
    const fresh = await SELF.fetch(url);
    expect(fresh.status).toBe(200);
    const freshBody = await fresh.json();
    // Give waitUntil's cache write a moment.
    await new Promise((r) => setTimeout(r, 50));
    pastHotCopy();

    const failing = await SELF.fetch(url, { headers: { "x-test-fail": "1" } });
    expect(failing.status).toBe(200);
    expect(failing.headers.get("x-cache")).toBe("stale-edge");
    expect(await failing.json()).toEqual(freshBody);

    // A page never seen before has nothing to fall back on: the service's own error stands.
    const unseen = await SELF.fetch(`${ORIGIN}/products?q=never-${Date.now()}`, { headers: { "x-test-fail": "1" } });
    expect(unseen.status).toBe(500);
    // Signed-in reads are never answered from the shared copy.
    const signedIn = await SELF.fetch(url, { headers: { "x-test-fail": "1", authorization: "Bearer x" } });
    expect(signedIn.status).toBe(500);
  });

  it("does not keep pages the products service served from its own cache", async () => {
    const url = `${ORIGIN}/products?cache=hit&q=hit-${Date.now()}`;
    expect((await SELF.fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    pastHotCopy();
    const failing = await SELF.fetch(url, { headers: { "x-test-fail": "1" } });
    expect(failing.status).toBe(500);
  });
});

describe("hot catalog pages at the edge (ADR 0024)", () => {
  type Recorded = { seen: { headers: Record<string, string> } };
  const seenId = async (res: Response) => ((await res.json()) as Recorded).seen.headers["x-request-id"];

  it("answers a repeated public catalog GET from memory for at most the hot bound, never crossing to products", async () => {
    const url = `${ORIGIN}/products?q=hot-${Date.now()}`;
    const first = await SELF.fetch(url);
    expect(first.headers.get("x-edge-cache")).toBeNull();
    const firstSeen = await seenId(first);

    const again = await SELF.fetch(url);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-edge-cache")).toBe("hit");
    // The same answer products gave the first request (the service saw only that one)...
    expect(await seenId(again)).toBe(firstSeen);
    // ...under this request's own id and the edge's headers.
    expect(again.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(again.headers.get("x-content-type-options")).toBe("nosniff");

    pastHotCopy();
    const later = await SELF.fetch(url);
    expect(later.headers.get("x-edge-cache")).toBeNull();
    expect(await seenId(later)).not.toBe(firstSeen);
  });

  it("refreshes a page asked for past half its life in the background, serving the kept one meanwhile", async () => {
    advance(0); // this test's clock from the start (earlier moves add up)
    const url = `${ORIGIN}/products/prd_swr${Date.now()}`;
    const firstSeen = await seenId(await SELF.fetch(url));
    advance(HOT_REFRESH_AFTER_MS + 1);
    const kept = await SELF.fetch(url);
    expect(kept.headers.get("x-edge-cache")).toBe("hit");
    expect(await seenId(kept)).toBe(firstSeen);
    await new Promise((r) => setTimeout(r, 100)); // the refresh runs after the answer
    const refreshed = await SELF.fetch(url);
    expect(refreshed.headers.get("x-edge-cache")).toBe("hit");
    const refreshedSeen = await seenId(refreshed);
    expect(refreshedSeen).not.toBe(firstSeen);
    // The page due for refresh went through the app; the refreshed one answers before the app
    // runs (src/hot-path.ts): both carry the same edge headers.
    const names = (r: Response) => [...r.headers.keys()].sort();
    expect(names(refreshed)).toEqual(names(kept));
    expect(refreshed.headers.get("content-security-policy")).toBe(kept.headers.get("content-security-policy"));
    // Counted from the refresh: still a hit within the bound, whatever the first page's age.
    advance(EDGE_HOT_CATALOG_MS - HOT_REFRESH_AFTER_MS);
    const later = await SELF.fetch(url);
    expect(later.headers.get("x-edge-cache")).toBe("hit");
    await later.body?.cancel();
    // The edge's headers are worked out once per kept page; each hit still gets its own request id.
    const again = await SELF.fetch(url);
    await again.body?.cancel();
    expect(names(again)).toEqual(names(later));
    expect(again.headers.get("x-request-id")).toMatch(/\S/);
    expect(again.headers.get("x-request-id")).not.toBe(later.headers.get("x-request-id"));
    expect(again.headers.get("vary")?.match(/origin/gi)).toHaveLength(1);
  });

  it("lets admins reading their writes, signed-in, cross-origin and non-GET requests through", async () => {
    const url = `${ORIGIN}/products/prd_hot${Date.now()}`;
    await (await SELF.fetch(url)).body?.cancel();
    const through: RequestInit[] = [
      { headers: { "x-catalog-version": "7" } },
      { headers: { cookie: "cart_id=x; catalog_version=7" } },
      { headers: { authorization: "Bearer x" } },
      { headers: { origin: "http://localhost:8787" } },
      { method: "HEAD" },
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
    ];
    for (const init of through) {
      const res = await SELF.fetch(url, init);
      expect(res.headers.get("x-edge-cache"), JSON.stringify(init)).toBeNull();
      await res.body?.cancel();
    }
    // The POST above dropped the kept pages (a write may move stock); keep the page again.
    await (await SELF.fetch(url)).body?.cancel();
    // Another cookie does not make the page personal.
    const cookie = await SELF.fetch(url, { headers: { cookie: "cart_id=x" } });
    expect(cookie.headers.get("x-edge-cache")).toBe("hit");
    await cookie.body?.cancel();
  });

  it("drops its kept pages when an order or catalog write passes through, so a buyer sees the stock move at once", async () => {
    const url = `${ORIGIN}/products/prd_buy${Date.now()}`;
    await (await SELF.fetch(url)).body?.cancel();
    const kept = await SELF.fetch(url);
    expect(kept.headers.get("x-edge-cache")).toBe("hit");
    await kept.body?.cancel();
    // A read elsewhere keeps them...
    await (await SELF.fetch(`${ORIGIN}/orders`)).body?.cancel();
    const still = await SELF.fetch(url);
    expect(still.headers.get("x-edge-cache")).toBe("hit");
    await still.body?.cancel();
    // ...and so do cart writes and the checkout quote, which hold no stock...
    for (const path of ["/cart/items", "/cart", "/checkout/quote"]) {
      const write = await SELF.fetch(`${ORIGIN}${path}`, {
        method: path === "/cart" ? "DELETE" : "POST",
        headers: { "content-type": "application/json" },
        body: path === "/cart" ? undefined : "{}",
      });
      await write.body?.cancel();
      const kept = await SELF.fetch(url);
      expect(kept.headers.get("x-edge-cache"), path).toBe("hit");
      await kept.body?.cancel();
    }
    // ...an order placed drops them.
    const placed = await SELF.fetch(`${ORIGIN}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    await placed.body?.cancel();
    const after = await SELF.fetch(url);
    expect(after.headers.get("x-edge-cache")).toBeNull();
    await after.body?.cancel();
  });

  it("answers a conditional GET for the kept page with 304", async () => {
    const url = `${ORIGIN}/products?q=etag-${Date.now()}`;
    await (await SELF.fetch(url, { headers: { "x-test-etag": '"e1"' } })).body?.cancel();
    const same = await SELF.fetch(url, { headers: { "if-none-match": '"e1"' } });
    expect(same.status).toBe(304);
    expect(same.headers.get("x-edge-cache")).toBe("hit");
    expect(same.headers.get("etag")).toBe('"e1"');
    const other = await SELF.fetch(url, { headers: { "if-none-match": '"e0"' } });
    expect(other.status).toBe(200);
    expect(other.headers.get("x-edge-cache")).toBe("hit");
    await other.body?.cancel();
  });

  it("keeps neither stale copies nor personal answers, and holds a bounded number of pages", async () => {
    const personal = `${ORIGIN}/products?q=hot-personal-${Date.now()}`;
    await (await SELF.fetch(personal, { headers: { "x-test-cache-control": "private" } })).body?.cancel();
    const after = await SELF.fetch(personal);
    expect(after.headers.get("x-edge-cache")).toBeNull();
    await after.body?.cancel();

    const stale = `${ORIGIN}/products?cache=stale&q=hot-stale-${Date.now()}`;
    await (await SELF.fetch(stale)).body?.cancel();
    const staleAgain = await SELF.fetch(stale);
    expect(staleAgain.headers.get("x-edge-cache")).toBeNull();
    await staleAgain.body?.cancel();

    const base = `${ORIGIN}/products?q=hot-bound-${Date.now()}&n=`;
    for (let i = 0; i <= HOT_MAX_ENTRIES; i++) await (await SELF.fetch(`${base}${i}`)).body?.cancel();
    const newest = await SELF.fetch(`${base}${HOT_MAX_ENTRIES}`);
    expect(newest.headers.get("x-edge-cache")).toBe("hit");
    await newest.body?.cancel();
    // The oldest went first.
    const oldest = await SELF.fetch(`${base}0`);
    expect(oldest.headers.get("x-edge-cache")).toBeNull();
    await oldest.body?.cancel();
  }, 60_000);
});
