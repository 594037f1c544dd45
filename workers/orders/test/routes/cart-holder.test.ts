import { env, runInDurableObject } from "cloudflare:test";
import type { Cart } from "@shop/contracts";
import { newId, newSecret } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { call, createProduct, shopper } from "../helpers";

/**
 * A guest cart is a capability: only the client holding its token (id + secret) may read,
 * change or merge it. Anyone else — a forged secret, the bare id, another cart's secret —
 * gets exactly what a client with no cart gets, and the cart does not change.
 */

async function cartOf(res: Response): Promise<Cart> {
  expect(res.status).toBe(200);
  return (await res.json()) as Cart;
}

async function guestCart(productId: string, quantity: number): Promise<{ cartId: string; cartToken: string }> {
  const cart = await cartOf(await call("POST", "/cart/items", { body: { productId, quantity } }));
  return { cartId: cart.cartId ?? "", cartToken: cart.cartToken ?? "" };
}

const linesOf = (cart: Cart) => cart.lines.map((l) => [l.productId, l.quantity]);

/** What is in a cart's Durable Object storage: its tables and its alarm. */
function storageOf(name: string) {
  return runInDurableObject(env.CART.get(env.CART.idFromName(name)), async (_cart, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB '_cf_*'")
      .toArray()
      .map((r) => r.name),
    alarm: await state.storage.getAlarm(),
  }));
}

/** Tokens that name the victim's cart without holding it. */
async function claimsOn(victim: { cartId: string }): Promise<[string, string][]> {
  const other = await guestCart(await createProduct(), 1);
  return [
    ["a forged secret", `${victim.cartId}.${newSecret()}`],
    ["the bare id", victim.cartId],
    ["another cart's secret", `${victim.cartId}.${other.cartToken.split(".")[1]}`],
  ];
}

describe("a guest cart opens only for its holder", () => {
  it("reading with a forged secret, the bare id or another cart's secret shows no cart, exactly as none", async () => {
    const productId = await createProduct();
    const victim = await guestCart(productId, 2);
    const nothing = await cartOf(await call("GET", "/cart"));
    for (const [what, cartToken] of await claimsOn(victim)) {
      const res = await call("GET", "/cart", { cartToken });
      expect(res.headers.get("x-cart-id"), what).toBeNull();
      expect(await cartOf(res), what).toEqual(nothing);
    }
    const held = await cartOf(await call("GET", "/cart", { cartToken: victim.cartToken }));
    expect(linesOf(held)).toEqual([[productId, 2]]);
  });

  it("writing with a claim never touches the cart: adding starts another cart, changing or removing is 404, clearing answers no cart", async () => {
    const productId = await createProduct();
    const victim = await guestCart(productId, 2);
    const mine = await createProduct();
    for (const [what, cartToken] of await claimsOn(victim)) {
      const added = await cartOf(
        await call("POST", "/cart/items", { cartToken, body: { productId: mine, quantity: 1 } }),
      );
      expect(added.cartId, what).not.toBe(victim.cartId);
      expect(linesOf(added), what).toEqual([[mine, 1]]);
      expect((await call("PATCH", `/cart/items/${productId}`, { cartToken, body: { quantity: 1 } })).status, what).toBe(
        404,
      );
      expect((await call("DELETE", `/cart/items/${productId}`, { cartToken })).status, what).toBe(404);
      const cleared = await call("DELETE", "/cart", { cartToken });
      expect(cleared.headers.get("x-cart-id"), what).toBeNull();
      expect(await cartOf(cleared), what).toMatchObject({ cartId: null, lines: [] });
    }
    const held = await cartOf(await call("GET", "/cart", { cartToken: victim.cartToken }));
    expect(linesOf(held)).toEqual([[productId, 2]]);
  });

  it("merging needs the secret: a signed-in shopper with a claim merges nothing; the holder still can", async () => {
    const productId = await createProduct();
    const victim = await guestCart(productId, 2);
    const thief = await shopper();
    const own = await createProduct();
    for (const [what, cartToken] of await claimsOn(victim)) {
      const read = await cartOf(await call("GET", "/cart", { token: thief.token, cartToken }));
      expect(read.mergedCartIds, what).toEqual([]);
      const written = await cartOf(
        await call("POST", "/cart/items", { token: thief.token, cartToken, body: { productId: own, quantity: 1 } }),
      );
      expect(written.mergedCartIds, what).toEqual([]);
      expect(
        written.lines.map((l) => l.productId),
        what,
      ).toEqual([own]);
    }
    expect(linesOf(await cartOf(await call("GET", "/cart", { cartToken: victim.cartToken })))).toEqual([
      [productId, 2],
    ]);

    const holder = await shopper();
    const merged = await cartOf(await call("GET", "/cart", { token: holder.token, cartToken: victim.cartToken }));
    expect(merged.mergedCartIds).toEqual([victim.cartId]);
    expect(linesOf(merged)).toEqual([[productId, 2]]);
  });

  it("a guest cart from before cart tokens (no secret stored, a guessable id) opens for nobody and stays untouched", async () => {
    const productId = await createProduct();
    const legacyId = newId("cart");
    const name = `guest:${legacyId}`;
    // The storage a guest cart had before tokens: the same tables, no secret.
    await runInDurableObject(env.CART.get(env.CART.idFromName(name)), (_cart, state) => {
      state.storage.sql.exec(`CREATE TABLE lines (product_id TEXT PRIMARY KEY, quantity INTEGER NOT NULL, added_at INTEGER NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE merged_carts (cart_id TEXT PRIMARY KEY, merged_at INTEGER NOT NULL);
        CREATE TABLE applied_orders (order_id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);`);
      state.storage.sql.exec("INSERT INTO lines VALUES (?, 3, 1)", productId);
    });
    const someone = await shopper();
    for (const cartToken of [legacyId, `${legacyId}.${newSecret()}`]) {
      expect((await cartOf(await call("GET", "/cart", { cartToken }))).lines).toEqual([]);
      const merged = await cartOf(await call("GET", "/cart", { token: someone.token, cartToken }));
      expect(merged).toMatchObject({ mergedCartIds: [], lines: [] });
    }
    const lines = await runInDurableObject(env.CART.get(env.CART.idFromName(name)), (_cart, state) =>
      state.storage.sql.exec("SELECT product_id, quantity FROM lines").toArray(),
    );
    expect(lines).toEqual([{ product_id: productId, quantity: 3 }]);
  });
});

describe("reading a cart that does not exist creates nothing", () => {
  it("no cart, an unknown token, a refused write and a signed-in read leave no tables and no alarm", async () => {
    const productId = await createProduct();
    const unknownId = newId("cart");
    const unknown = `${unknownId}.${newSecret()}`;
    const me = await shopper();

    expect((await call("GET", "/cart")).status).toBe(200);
    expect((await call("GET", "/cart", { cartToken: unknown })).status).toBe(200);
    expect((await call("GET", "/cart", { token: me.token, cartToken: unknown })).status).toBe(200);
    expect((await call("DELETE", "/cart", { cartToken: unknown })).status).toBe(200);
    expect(
      (await call("PATCH", `/cart/items/${productId}`, { cartToken: unknown, body: { quantity: 1 } })).status,
    ).toBe(404);
    expect((await call("DELETE", `/cart/items/${productId}`, { cartToken: unknown })).status).toBe(404);

    expect(await storageOf(`guest:${unknownId}`)).toEqual({ tables: [], alarm: null });
    expect(await storageOf(`user:${me.userId}`)).toEqual({ tables: [], alarm: null });
  });

  it("the first item creates the cart, with its 30-day alarm (the check above can see storage)", async () => {
    const productId = await createProduct();
    const cart = await guestCart(productId, 1);
    const storage = await storageOf(`guest:${cart.cartId}`);
    expect(storage.tables).toEqual(expect.arrayContaining(["lines", "meta"]));
    expect(storage.alarm).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
  });
});
