import { EDGE_HOT_CATALOG_MS } from "@shop/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, call, login, registerAndLogin } from "../support/http";
import { faults, record } from "../support/shop";

/**
 * A failure in one service does not take the others down. Each service in turn is made to
 * fail completely (test-only switch: every request it serves throws), and every other
 * service's routes are exercised through the gateway.
 */
const SERVICES = ["users", "products", "orders", "payments", "notifications"] as const;
/**
 * Outages last longer than caches: users stays down (its HTTP app and its RPC entrypoint, so
 * the key set cannot be refetched) past the key cache of every verifier before the others are
 * probed, so they answer from the last good keys within the grace, not from a fresh cache.
 * The battery's system sets JWKS_CACHE_SECONDS to this (default 5; production keeps 300).
 */
const KEY_CACHE_SECONDS = Number(process.env.BATTERY_JWKS_CACHE_SECONDS ?? 5);
const DOWN: Record<string, string[]> = { users: ["users.http", "users.rpc"] };

describe("isolation", () => {
  afterEach(async () => {
    for (const s of SERVICES) await faults(s, null);
  });

  it("keeps every other service working while one is down", async () => {
    const shopper = await registerAndLogin("isolation");
    const adminToken = (await login(ADMIN)).accessToken;
    const probes: Record<(typeof SERVICES)[number], () => Promise<number>> = {
      users: async () => (await call("GET", "/users/me", { token: shopper.accessToken })).status,
      // A search never made before: the edge has no copy to fall back on.
      products: async () => (await call("GET", `/products?q=probe${Date.now()}`)).status,
      orders: async () => (await call("GET", "/orders", { token: shopper.accessToken })).status,
      payments: async () => (await call("GET", "/payments", { token: adminToken })).status,
      notifications: async () =>
        (await call("GET", "/notifications/preferences", { token: shopper.accessToken })).status,
    };
    // Every verifier holds the keys before users goes down (the cache the outage must outlast).
    for (const s of SERVICES) expect(await probes[s](), `${s} before any outage`).toBe(200);
    for (const down of SERVICES) {
      const points = DOWN[down] ?? [`${down}.http`];
      await faults(down, Object.fromEntries(points.map((p) => [p, { mode: "error" }])));
      if (down === "users") await new Promise((r) => setTimeout(r, (KEY_CACHE_SECONDS + 1) * 1000));
      const statuses: Record<string, number> = {};
      for (const s of SERVICES) statuses[s] = await probes[s]();
      const health = await call("GET", "/health");
      record(`isolation: ${down} down`, statuses);
      expect(statuses[down], `${down} itself should be failing`).toBeGreaterThanOrEqual(500);
      for (const s of SERVICES.filter((x) => x !== down)) expect(statuses[s], `${s} while ${down} is down`).toBe(200);
      expect(health.status).toBe(503);
      expect(health.body.services[down].status).toBe("down");
      await faults(down, null);
    }
  });

  it("keeps serving catalog pages already cached while the product service fails", async () => {
    const pages = ["/products?limit=5", "/categories", "/products?sort=price_asc&limit=3"];
    const before: Record<string, unknown> = {};
    for (const p of pages) {
      const res = await call("GET", p);
      expect(res.status).toBe(200);
      before[p] = res.body;
    }
    await faults("products", { "products.http": { mode: "error" } });
    // The outage outlasts the gateway's hot copies (ADR 0024), so what answers is the last good copy.
    await new Promise((r) => setTimeout(r, EDGE_HOT_CATALOG_MS + 100));
    let stale = 0;
    for (const p of pages) {
      const res = await call("GET", p);
      expect(res.status, p).toBe(200);
      expect(res.body, p).toEqual(before[p]);
      if (res.headers.get("x-cache") === "stale-edge") stale++;
    }
    const unseen = await call("GET", "/products?limit=7&sort=name");
    record("isolation: stale catalog", { pages: pages.length, servedStale: stale, unseenPageStatus: unseen.status });
    expect(stale).toBe(pages.length);
    // A page never served before cannot be made up.
    expect(unseen.status).toBeGreaterThanOrEqual(500);
  });
});
