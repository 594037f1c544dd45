import { env } from "cloudflare:test";
import type { Cart } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { call, createProduct, problem, shopper } from "../helpers";

async function cartOf(res: Response): Promise<Cart> {
  expect(res.status).toBe(200);
  return (await res.json()) as Cart;
}

describe("guest carts", () => {
  it("start with the first item: a token in x-cart-id opens the cart, priced by the catalog", async () => {
    const productId = await createProduct({ price: 1999 });
    const first = await call("GET", "/cart");
    expect(first.headers.get("x-cart-id")).toBeNull();
    expect(await cartOf(first)).toMatchObject({
      cartId: null,
      cartToken: null,
      owner: "guest",
      lines: [],
      total: null,
    });

    const res = await call("POST", "/cart/items", { body: { productId, quantity: 2 } });
    const added = await cartOf(res);
    const cartToken = res.headers.get("x-cart-id") ?? "";
    expect(cartToken).toMatch(/^crt_[0-9a-z]{26}\.[A-Za-z0-9_-]{22}$/);
    expect(added).toMatchObject({ cartId: cartToken.split(".")[0], cartToken, owner: "guest" });
    expect(added.lines).toEqual([
      expect.objectContaining({
        productId,
        quantity: 2,
        unitPrice: { amount: 1999, currency: "USD" },
        lineTotal: { amount: 3998, currency: "USD" },
        available: 10,
        problem: null,
      }),
    ]);
    expect(added.total).toEqual({ amount: 3998, currency: "USD" });
    expect(added.checkoutReady).toBe(true);

    const again = await call("GET", "/cart", { cartToken });
    expect(again.headers.get("x-cart-id")).toBe(cartToken);
    expect((await cartOf(again)).lines.map((l) => [l.productId, l.quantity])).toEqual([[productId, 2]]);
  });

  it("re-quotes prices on every read", async () => {
    const productId = await createProduct({ price: 500 });
    const cartToken =
      (await cartOf(await call("POST", "/cart/items", { body: { productId, quantity: 3 } }))).cartToken ?? "";
    await env.TEST_PRODUCTS_DB.prepare("UPDATE products SET price_amount = 700 WHERE id = ?1").bind(productId).run();
    const cart = await cartOf(await call("GET", "/cart", { cartToken }));
    expect(cart.lines[0]?.unitPrice).toEqual({ amount: 700, currency: "USD" });
    expect(cart.total).toEqual({ amount: 2100, currency: "USD" });
  });

  it("shows a product archived after it was added as not purchasable", async () => {
    const productId = await createProduct();
    const cartToken =
      (await cartOf(await call("POST", "/cart/items", { body: { productId, quantity: 1 } }))).cartToken ?? "";
    await env.TEST_PRODUCTS_DB.prepare("UPDATE products SET status = 'archived' WHERE id = ?1").bind(productId).run();
    const cart = await cartOf(await call("GET", "/cart", { cartToken }));
    expect(cart.lines[0]?.problem).toBe("inactive");
    expect(cart.checkoutReady).toBe(false);
  });

  it.each(["crt_not-a-real-id", "crt_01jd8x3v4k2m9q7r5t6w8y0zab.short", "crt_01jd8x3v4k2m9q7r5t6w8y0zab.", ""])(
    "refuses a malformed cart token %j with 400",
    async (cartToken) => {
      const res = await call("GET", "/cart", { headers: { "x-cart-id": cartToken } });
      expect(res.status).toBe(400);
      expect((await problem(res)).errors?.[0]?.path).toBe("x-cart-id");
    },
  );
});

describe("cart lines", () => {
  it("sums quantities, sets, removes and clears", async () => {
    const me = await shopper();
    const a = await createProduct({ price: 100 });
    const b = await createProduct({ price: 250 });
    await call("POST", "/cart/items", { token: me.token, body: { productId: a, quantity: 1 } });
    await call("POST", "/cart/items", { token: me.token, body: { productId: a, quantity: 2 } });
    let cart = await cartOf(
      await call("POST", "/cart/items", { token: me.token, body: { productId: b, quantity: 1 } }),
    );
    expect(cart).toMatchObject({ owner: "user", cartId: null, itemCount: 4, total: { amount: 550, currency: "USD" } });

    cart = await cartOf(await call("PATCH", `/cart/items/${a}`, { token: me.token, body: { quantity: 5 } }));
    expect(cart.lines.find((l) => l.productId === a)?.quantity).toBe(5);

    cart = await cartOf(await call("DELETE", `/cart/items/${b}`, { token: me.token }));
    expect(cart.lines.map((l) => l.productId)).toEqual([a]);

    cart = await cartOf(await call("DELETE", "/cart", { token: me.token }));
    expect(cart.lines).toEqual([]);
  });

  it.each([0, 100, 1.5, "2"])("refuses quantity %s with 400 naming the field", async (quantity) => {
    const productId = await createProduct();
    const res = await call("POST", "/cart/items", { body: { productId, quantity } });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain("quantity");
  });

  it("refuses a client-supplied price with 400", async () => {
    const productId = await createProduct();
    const res = await call("POST", "/cart/items", {
      body: { productId, quantity: 1, unitPrice: { amount: 1, currency: "USD" } },
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain("unitPrice");
  });

  it("refuses an unknown product with 404 and an archived one with 422, naming it", async () => {
    const unknown = "prd_01jd8x3v4k2m9q7r5t6w8y0zab";
    const res = await call("POST", "/cart/items", { body: { productId: unknown, quantity: 1 } });
    expect(res.status).toBe(404);
    expect((await problem(res)).detail).toContain(unknown);

    const archived = await createProduct({ status: "archived" });
    const res2 = await call("POST", "/cart/items", { body: { productId: archived, quantity: 1 } });
    expect(res2.status).toBe(422);
    expect((await problem(res2)).detail).toContain(archived);
  });

  it("refuses more units than in stock (409) and a line above 99 (422)", async () => {
    const scarce = await createProduct({ stock: 2 });
    const res = await call("POST", "/cart/items", { body: { productId: scarce, quantity: 3 } });
    expect(res.status).toBe(409);
    const short = await problem(res);
    expect(short.code).toBe("insufficient_stock");
    expect((short as unknown as { lines: unknown }).lines).toEqual([
      { productId: scarce, requested: 3, available: 2, reason: "insufficient_stock" },
    ]);

    const plenty = await createProduct({ stock: 500 });
    const cartToken =
      (await cartOf(await call("POST", "/cart/items", { body: { productId: plenty, quantity: 60 } }))).cartToken ?? "";
    const over = await call("POST", "/cart/items", { cartToken, body: { productId: plenty, quantity: 40 } });
    expect(over.status).toBe(422);
    expect((await problem(over)).errors?.[0]?.path).toBe("quantity");

    // The units already in the line count against the stock, and a refusal leaves the line as it was.
    const few = await createProduct({ stock: 5 });
    const held = (await cartOf(await call("POST", "/cart/items", { body: { productId: few, quantity: 3 } }))).cartToken;
    const more = await call("POST", "/cart/items", { cartToken: held ?? "", body: { productId: few, quantity: 3 } });
    expect(more.status).toBe(409);
    expect(((await problem(more)) as unknown as { lines: unknown }).lines).toEqual([
      { productId: few, requested: 6, available: 5, reason: "insufficient_stock" },
    ]);
    const after = await cartOf(await call("GET", "/cart", { cartToken: held ?? "" }));
    expect(after.lines.map((l) => [l.productId, l.quantity])).toEqual([[few, 3]]);
  });

  it("holds at most 50 lines", async () => {
    const ids = await Promise.all(Array.from({ length: 51 }, () => createProduct()));
    const me = await shopper();
    for (const productId of ids.slice(0, 50)) {
      expect((await call("POST", "/cart/items", { token: me.token, body: { productId, quantity: 1 } })).status).toBe(
        200,
      );
    }
    const res = await call("POST", "/cart/items", { token: me.token, body: { productId: ids[50], quantity: 1 } });
    expect(res.status).toBe(422);
    expect((await problem(res)).detail).toContain("50");
  });

  it("refuses a product in another currency than the cart", async () => {
    const usd = await createProduct({ currency: "USD" });
    const eur = await createProduct({ currency: "EUR" });
    const cartToken =
      (await cartOf(await call("POST", "/cart/items", { body: { productId: usd, quantity: 1 } }))).cartToken ?? "";
    const res = await call("POST", "/cart/items", { cartToken, body: { productId: eur, quantity: 1 } });
    expect(res.status).toBe(422);
    expect((await problem(res)).detail).toBe(`${eur} is priced in EUR; this cart is in USD.`);
    // A new cart takes any currency: the refusal was the cart's, not the product's.
    expect((await call("POST", "/cart/items", { body: { productId: eur, quantity: 1 } })).status).toBe(200);
  });

  it("answers 404 for changing a line that is not in the cart", async () => {
    const productId = await createProduct();
    const res = await call("PATCH", `/cart/items/${productId}`, { body: { quantity: 2 } });
    expect(res.status).toBe(404);
    const res2 = await call("DELETE", `/cart/items/${productId}`);
    expect(res2.status).toBe(404);
  });
});

describe("cart security", () => {
  it("keeps each user's cart to themselves", async () => {
    const a = await shopper();
    const b = await shopper();
    const productId = await createProduct();
    await call("POST", "/cart/items", { token: a.token, body: { productId, quantity: 2 } });
    expect((await cartOf(await call("GET", "/cart", { token: b.token }))).lines).toEqual([]);
    expect((await call("DELETE", `/cart/items/${productId}`, { token: b.token })).status).toBe(404);
    expect((await cartOf(await call("GET", "/cart", { token: a.token }))).lines).toHaveLength(1);
  });

  it("answers 401 for a bad token instead of treating the caller as a guest", async () => {
    const res = await call("GET", "/cart", { token: "not.a.jwt" });
    expect(res.status).toBe(401);
  });
});

describe("guest cart → sign in", () => {
  it("merges once: quantities summed and capped at 99, a replay changes nothing", async () => {
    const me = await shopper();
    const a = await createProduct({ stock: 500 });
    const b = await createProduct({ stock: 500 });
    const guest = await cartOf(await call("POST", "/cart/items", { body: { productId: a, quantity: 40 } }));
    const cartToken = guest.cartToken ?? "";
    await call("POST", "/cart/items", { cartToken, body: { productId: b, quantity: 3 } });
    await call("POST", "/cart/items", { token: me.token, body: { productId: a, quantity: 70 } });

    const merged = await cartOf(await call("GET", "/cart", { token: me.token, cartToken }));
    expect(merged.mergedCartIds).toEqual([guest.cartId]);
    expect(Object.fromEntries(merged.lines.map((l) => [l.productId, l.quantity]))).toEqual({ [a]: 99, [b]: 3 });

    const replay = await cartOf(await call("GET", "/cart", { token: me.token, cartToken }));
    expect(replay.mergedCartIds).toEqual([]);
    expect(Object.fromEntries(replay.lines.map((l) => [l.productId, l.quantity]))).toEqual({ [a]: 99, [b]: 3 });

    // The merged guest cart is spent: the guest holds no cart, and the next item starts a new one.
    const after = await call("GET", "/cart", { cartToken });
    expect(after.headers.get("x-cart-id")).toBeNull();
    expect(await cartOf(after)).toMatchObject({ cartId: null, cartToken: null, lines: [] });
    const next = await cartOf(await call("POST", "/cart/items", { cartToken, body: { productId: b, quantity: 1 } }));
    expect(next.cartId).not.toBe(guest.cartId);
    expect(next.lines.map((l) => [l.productId, l.quantity])).toEqual([[b, 1]]);
  });

  it("does not merge another user's already merged cart", async () => {
    const a = await shopper();
    const b = await shopper();
    const productId = await createProduct();
    const cartToken =
      (await cartOf(await call("POST", "/cart/items", { body: { productId, quantity: 1 } }))).cartToken ?? "";
    await call("GET", "/cart", { token: a.token, cartToken });
    const stolen = await cartOf(await call("GET", "/cart", { token: b.token, cartToken }));
    expect(stolen.lines).toEqual([]);
  });
});
