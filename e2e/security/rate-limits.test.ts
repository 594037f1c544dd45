import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimental_readRawConfig } from "wrangler";
// @ts-expect-error plain ESM module shared with `npm start`
import { ROOT } from "../../scripts/system.mjs";
import { ADMIN, call } from "../support/http";
import { ADDRESS } from "../support/shop";
import { fromClient, newClientIp, type OwnSystem, retryAfter, signIn, signUp, sleep, startOwnSystem } from "./support";

/**
 * Writes that cost money or messages are rate limited per user and per client (Workers
 * rate-limiting bindings): beyond the limit, 429 problem+json with Retry-After, documented in
 * OpenAPI, and a refused request leaves nothing behind.
 *
 * The shared e2e systems run with RATE_LIMITS=off (they place hundreds of orders from one
 * address), so the burst runs on a system of its own with the limits as deployed.
 */
const CHECKOUT_BURST = Number(process.env.E2E_CHECKOUT_BURST ?? 40);

/** The limited operations: [path in the merged OpenAPI, method]. */
const LIMITED: [string, string][] = [
  ["/orders", "post"],
  ["/cart/items", "post"],
  ["/cart/items/{productId}", "patch"],
  ["/cart/items/{productId}", "delete"],
  ["/cart", "delete"],
  ["/payments/{id}/refund", "post"],
  ["/notifications/send", "post"],
];

/** A rate-limiting binding of the orders worker as configured locally: its budget and period. */
function ordersLimiter(name: string): { limit: number; period: number } {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "workers", "orders", "wrangler.toml") });
  const bindings = (rawConfig.ratelimits ?? []) as { name: string; simple?: { limit: number; period: number } }[];
  const binding = bindings.find((r) => r.name === name);
  if (!binding?.simple) throw new Error(`workers/orders/wrangler.toml has no rate limit ${name}`);
  return binding.simple;
}

let system: OwnSystem;
let adminToken: string;

/** One HTTP call to this file's own system. */
const own = (method: string, path: string, opts: Parameters<typeof call>[2] = {}) =>
  call(method, path, { ...opts, base: system.url });

beforeAll(async () => {
  system = await startOwnSystem({}, 1);
  const admin = await signIn(ADMIN, newClientIp(), system.url);
  expect(admin.status, JSON.stringify(admin.body)).toBe(200);
  adminToken = admin.body.accessToken;
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function newProduct(stock: number): Promise<string> {
  const categories = await own("GET", "/categories");
  const sku = `RL-${Date.now().toString(36)}`.toUpperCase();
  const res = await own("POST", "/products", {
    token: adminToken,
    body: {
      sku,
      name: `Rate limit item ${sku}`,
      description: "Made by the security suite",
      categoryId: categories.body.items[0].id,
      price: { amount: 1500, currency: "USD" },
      initialStock: stock,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

describe("security: rate limits", () => {
  it("a burst of checkouts beyond the limit gets 429 with Retry-After, and refused ones leave no order", async () => {
    const perUser = ordersLimiter("CHECKOUT_USER_LIMITER");
    expect(CHECKOUT_BURST).toBeGreaterThan(perUser.limit);
    const productId = await newProduct(1_000);
    const ip = newClientIp();
    const buyer = await signUp("checkout-burst", { base: system.url, ip });
    const signedIn = await signIn(buyer, ip, system.url);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    const token: string = signedIn.body.accessToken;
    const added = await own("POST", "/cart/items", {
      token,
      headers: fromClient(ip),
      body: { productId, quantity: 1 },
    });
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);

    // Local windows are aligned to the wall clock: start well inside one, so the whole burst
    // meets a single budget and "at most the limit got through" is exact.
    const intoWindow = Date.now() % (perUser.period * 1000);
    if (intoWindow > (perUser.period - 10) * 1000) await sleep(perUser.period * 1000 - intoWindow + 500);

    const results = await Promise.all(
      Array.from({ length: CHECKOUT_BURST }, (_, i) =>
        own("POST", "/orders", {
          token,
          headers: { ...fromClient(ip), "idempotency-key": `burst-${Date.now()}-${i}` },
          body: { shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).join(",");
    const limited = results.filter((r) => r.status === 429);
    const accepted = results.filter((r) => r.status >= 200 && r.status < 300);
    expect(
      results.every((r) => r.status < 500),
      statuses,
    ).toBe(true);
    expect(
      CHECKOUT_BURST - limited.length,
      `not refused (per-user budget ${perUser.limit}): ${statuses}`,
    ).toBeLessThanOrEqual(perUser.limit);
    expect(limited.length, statuses).toBeGreaterThanOrEqual(CHECKOUT_BURST - perUser.limit);
    for (const r of limited) {
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.body.code).toBe("rate_limited");
      expect(retryAfter(r)).toBeGreaterThan(0);
    }

    // Nothing behind a refusal: the orders that exist are exactly the accepted ones, and only
    // they hold (or took) stock.
    const orders = await own("GET", "/orders?limit=100", { token });
    expect(orders.status).toBe(200);
    const ids = new Set((orders.body.items as { id: string }[]).map((o) => o.id));
    expect(ids).toEqual(new Set(accepted.map((r) => r.body.id)));
    const stock = await own("GET", `/products/${productId}/inventory`, { token: adminToken });
    expect(stock.status).toBe(200);
    expect(1_000 - stock.body.available, "units held or sold").toBeLessThanOrEqual(accepted.length);
  });

  it("documents 429 with Retry-After on every limited operation", async () => {
    const doc = await own("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const missing: string[] = [];
    for (const [path, method] of LIMITED) {
      const op = doc.body.paths?.[path]?.[method];
      const tooMany = op?.responses?.["429"];
      const headers = Object.keys(tooMany?.headers ?? {}).map((h) => h.toLowerCase());
      const name = `${method.toUpperCase()} ${path}`;
      if (!tooMany) missing.push(`${name}: no 429`);
      else if (!headers.includes("retry-after")) missing.push(`${name}: 429 without a Retry-After header`);
    }
    expect(missing).toEqual([]);
  });
});
