import { env } from "cloudflare:test";
import type { Cart, OrderPage } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { cartStub } from "../../src/services/carts/cart-key";
import { call, createSizedProduct, getOrder, orderBody, placeOrder, problem, shopper, untilStatus } from "../helpers";

/**
 * Carts and orders in the shopper's market (ADR 0032): the gateway sends the market it resolved
 * as `x-market`; the cart remembers it and is priced in it, and an order is placed in it.
 */

const EU = { "x-market": "eu" };

async function cartOf(res: Response): Promise<Cart> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Cart;
}

/** A product in sizes M and L, priced in USD (the default market) and in EUR in `eu` (L only when `euL`). */
async function apparel(euL = true) {
  const p = await createSizedProduct([
    { size: "M", stock: 5, price: 2000 },
    { size: "L", stock: 5, price: 2400 },
  ]);
  const db = env.TEST_PRODUCTS_DB;
  await db.batch([
    db
      .prepare("INSERT INTO variant_prices (variant_id, market, amount, updated_at) VALUES (?1, 'eu', 1899, 0)")
      .bind(p.variants.M),
    ...(euL
      ? [
          db
            .prepare("INSERT INTO variant_prices (variant_id, market, amount, updated_at) VALUES (?1, 'eu', 2299, 0)")
            .bind(p.variants.L),
        ]
      : []),
  ]);
  return p;
}

beforeAll(async () => {
  // Before any call names a market: products keeps the list of codes for 30 s.
  await env.TEST_PRODUCTS_DB.prepare(
    `INSERT OR IGNORE INTO markets (code, name, currency, countries, is_default, position, created_at, updated_at)
     VALUES ('eu', 'Euro area', 'EUR', '["DE","FR"]', 0, 1, 0, 0)`,
  ).run();
});

describe("the cart's market", () => {
  it("is set from x-market by the first line: prices, total and currency are the market's", async () => {
    const { productId, variants } = await apparel();
    const first = await call("POST", "/cart/items", {
      headers: EU,
      body: { productId, variantId: variants.M, quantity: 2 },
    });
    const cart = await cartOf(first);
    expect(cart).toMatchObject({
      market: "eu",
      currency: "EUR",
      total: { amount: 3798, currency: "EUR" },
      lines: [expect.objectContaining({ variantId: variants.M, unitPrice: { amount: 1899, currency: "EUR" } })],
      checkoutReady: true,
    });
    // The cart remembers it: a caller naming no market reads it in EUR.
    const cartToken = first.headers.get("x-cart-id") ?? "";
    const again = await cartOf(await call("GET", "/cart", { cartToken }));
    expect(again).toMatchObject({ market: "eu", currency: "EUR", total: { amount: 3798, currency: "EUR" } });
  });

  it("a cart with no market named is the default market's (as every cart from before markets)", async () => {
    const { productId, variants } = await apparel();
    const first = await call("POST", "/cart/items", { body: { productId, variantId: variants.M, quantity: 1 } });
    expect(await cartOf(first)).toMatchObject({ market: null, currency: "USD", total: { amount: 2000 } });
  });

  it("is repriced whole in the shopper's new market; a line not sold there is not_in_market", async () => {
    const { productId, variants } = await apparel(false);
    const who = await shopper();
    await cartOf(
      await call("POST", "/cart/items", { token: who.token, body: { productId, variantId: variants.M, quantity: 1 } }),
    );
    const usd = await cartOf(
      await call("POST", "/cart/items", { token: who.token, body: { productId, variantId: variants.L, quantity: 1 } }),
    );
    expect(usd).toMatchObject({ market: null, currency: "USD", total: { amount: 4400 }, checkoutReady: true });

    const eur = await cartOf(await call("GET", "/cart", { token: who.token, headers: EU }));
    expect(eur).toMatchObject({ market: "eu", currency: "EUR", total: { amount: 1899, currency: "EUR" } });
    expect(eur.checkoutReady).toBe(false);
    expect(eur.lines).toEqual([
      expect.objectContaining({ variantId: variants.M, unitPrice: { amount: 1899, currency: "EUR" }, problem: null }),
      expect.objectContaining({ variantId: variants.L, unitPrice: null, problem: "not_in_market" }),
    ]);
    // Remembered: the cart's Durable Object now says eu.
    const state = await cartStub(env, { kind: "user", userId: who.userId }).read({
      kind: "user",
      userId: who.userId,
    });
    expect(state.market).toBe("eu");
    // Adding the unpriced variant in that market is a clear 422, not a 404 or a 500.
    const refused = await call("POST", "/cart/items", {
      token: who.token,
      headers: EU,
      body: { productId, variantId: variants.L, quantity: 1 },
    });
    expect(refused.status).toBe(422);
    expect((await problem(refused)).detail).toMatch(/not sold in this market/);
    // Back in the default market, USD again.
    const back = await cartOf(await call("GET", "/cart", { token: who.token, headers: { "x-market": "us" } }));
    expect(back).toMatchObject({ market: "us", currency: "USD", total: { amount: 4400 }, checkoutReady: true });
  });

  it("refuses a malformed x-market with a 400 and a market the shop has not with a 422, storing nothing", async () => {
    const { productId, variants } = await apparel();
    const bad = await call("POST", "/cart/items", {
      headers: { "x-market": "EU!" },
      body: { productId, variantId: variants.M, quantity: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/problem\+json/);
    const unknown = await call("POST", "/cart/items", {
      headers: { "x-market": "zz" },
      body: { productId, variantId: variants.M, quantity: 1 },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.headers.get("content-type")).toMatch(/problem\+json/);
    expect(unknown.headers.get("x-cart-id")).toBeNull();

    const who = await shopper();
    await cartOf(
      await call("POST", "/cart/items", { token: who.token, body: { productId, variantId: variants.M, quantity: 1 } }),
    );
    const read = await call("GET", "/cart", { token: who.token, headers: { "x-market": "zz" } });
    expect(read.status).toBe(422);
    // The unknown market was never remembered.
    expect(await cartOf(await call("GET", "/cart", { token: who.token }))).toMatchObject({ market: null });
  });
});

describe("a guest cart merged at sign-in", () => {
  it("keeps one market: the signed-in request's, every line of both carts priced in it", async () => {
    const { productId, variants } = await apparel();
    const guest = await call("POST", "/cart/items", {
      headers: EU,
      body: { productId, variantId: variants.M, quantity: 1 },
    });
    expect((await cartOf(guest)).market).toBe("eu");
    const cartToken = guest.headers.get("x-cart-id") ?? "";
    const who = await shopper();
    await cartOf(
      await call("POST", "/cart/items", {
        token: who.token,
        headers: { "x-market": "us" },
        body: { productId, variantId: variants.L, quantity: 1 },
      }),
    );

    const merged = await cartOf(await call("GET", "/cart", { token: who.token, cartToken, headers: EU }));
    expect(merged.mergedCartIds).toHaveLength(1);
    expect(merged).toMatchObject({ market: "eu", currency: "EUR", total: { amount: 1899 + 2299, currency: "EUR" } });
    expect(merged.lines.map((l) => l.unitPrice?.currency)).toEqual(["EUR", "EUR"]);
    // Remembered: read again without a market, still in euros.
    expect(await cartOf(await call("GET", "/cart", { token: who.token }))).toMatchObject({ market: "eu" });
  });
});

describe("orders in the cart's market", () => {
  it("places the order in EUR: its lines, total, market and the payment are in the market's currency", async () => {
    const { productId, variants } = await apparel();
    const who = await shopper();
    await cartOf(
      await call("POST", "/cart/items", {
        token: who.token,
        headers: EU,
        body: { productId, variantId: variants.M, quantity: 2 },
      }),
    );
    await cartOf(
      await call("POST", "/cart/items", {
        token: who.token,
        headers: EU,
        body: { productId, variantId: variants.L, quantity: 1 },
      }),
    );
    // Placed by a caller naming no market: the cart's own.
    const res = await placeOrder(who, `key-${crypto.randomUUID()}`, orderBody());
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = (await res.json()) as { id: string };
    const order = await untilStatus(who, placed.id, "paid");
    expect(order).toMatchObject({ market: "eu", currency: "EUR", total: { amount: 2 * 1899 + 2299, currency: "EUR" } });
    expect(order.lines.map((l) => l.unitPrice)).toEqual([
      { amount: 1899, currency: "EUR" },
      { amount: 2299, currency: "EUR" },
    ]);
    const payment = await env.TEST_PAYMENTS_DB.prepare("SELECT amount, currency FROM payments WHERE order_id = ?1")
      .bind(placed.id)
      .first();
    expect(payment).toEqual({ amount: 6097, currency: "EUR" });
    // The D1 history carries the market too.
    await expect
      .poll(async () => {
        const page = (await (await call("GET", "/orders", { token: who.token })).json()) as OrderPage;
        return page.items.find((o) => o.id === placed.id)?.market;
      })
      .toBe("eu");
    expect((await getOrder(who, placed.id)).market).toBe("eu");
  });

  it("x-market at placement wins: the cart is repriced in the shopper's market", async () => {
    const { productId, variants } = await apparel();
    const who = await shopper();
    await cartOf(
      await call("POST", "/cart/items", { token: who.token, body: { productId, variantId: variants.M, quantity: 1 } }),
    );
    const res = await call("POST", "/orders", {
      token: who.token,
      body: orderBody(),
      headers: { "idempotency-key": `key-${crypto.randomUUID()}`, ...EU },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = (await res.json()) as { id: string };
    const order = await untilStatus(who, placed.id, "paid");
    expect(order).toMatchObject({ market: "eu", total: { amount: 1899, currency: "EUR" } });
  });
});
