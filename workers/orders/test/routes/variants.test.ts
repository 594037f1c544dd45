import { applyD1Migrations, env } from "cloudflare:test";
import { type Cart, defaultVariantId, type Order, type OrderPage } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { lineView } from "../../src/services/orders/order-view";
import {
  call,
  checkout,
  createProduct,
  createSizedProduct,
  getOrder,
  placeOrder,
  problem,
  shopper,
  untilStatus,
  variantStock,
} from "../helpers";

/** Cart and order lines name a product's variant (ADR 0029): size M and size L are two lines. */

async function cartOf(res: Response): Promise<Cart> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Cart;
}

describe("cart lines per variant", () => {
  it("two variants of one product are two lines, each with its variant, SKU, label and price", async () => {
    const { productId, variants } = await createSizedProduct([
      { size: "M", stock: 5, price: 2000 },
      { size: "L", stock: 7, price: 2400 },
    ]);
    const first = await call("POST", "/cart/items", { body: { productId, variantId: variants.M, quantity: 2 } });
    const cartToken = first.headers.get("x-cart-id") ?? "";
    await cartOf(first);
    const cart = await cartOf(
      await call("POST", "/cart/items", { cartToken, body: { productId, variantId: variants.L, quantity: 1 } }),
    );
    expect(cart.lines).toEqual([
      expect.objectContaining({
        productId,
        variantId: variants.M,
        variantLabel: "M",
        sku: expect.stringMatching(/-M$/),
        quantity: 2,
        unitPrice: { amount: 2000, currency: "USD" },
        available: 5,
        problem: null,
      }),
      expect.objectContaining({
        productId,
        variantId: variants.L,
        variantLabel: "L",
        sku: expect.stringMatching(/-L$/),
        quantity: 1,
        unitPrice: { amount: 2400, currency: "USD" },
        available: 7,
        problem: null,
      }),
    ]);
    expect(cart.total).toEqual({ amount: 6400, currency: "USD" });

    // The same variant again adds to its line; the other line is untouched.
    const more = await cartOf(
      await call("POST", "/cart/items", { cartToken, body: { productId, variantId: variants.L, quantity: 2 } }),
    );
    expect(more.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [variants.M, 2],
      [variants.L, 3],
    ]);

    // Lines are changed and removed by their variant id.
    const patched = await cartOf(
      await call("PATCH", `/cart/items/${variants.M}`, { cartToken, body: { quantity: 4 } }),
    );
    expect(patched.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [variants.M, 4],
      [variants.L, 3],
    ]);
    const over = await call("PATCH", `/cart/items/${variants.L}`, { cartToken, body: { quantity: 8 } });
    expect(over.status).toBe(409);
    expect(await problem(over)).toMatchObject({
      code: "insufficient_stock",
      lines: [{ productId, variantId: variants.L, requested: 8, available: 7 }],
    });
    const removed = await cartOf(await call("DELETE", `/cart/items/${variants.M}`, { cartToken }));
    expect(removed.lines.map((l) => l.variantId)).toEqual([variants.L]);
    expect((await call("DELETE", `/cart/items/${variants.M}`, { cartToken })).status).toBe(404);
  });

  it("a product id alone is its default variant, in the body and in the path", async () => {
    const productId = await createProduct({ stock: 4, price: 900 });
    const res = await call("POST", "/cart/items", { body: { productId, quantity: 1 } });
    const cartToken = res.headers.get("x-cart-id") ?? "";
    const cart = await cartOf(res);
    expect(cart.lines).toEqual([
      expect.objectContaining({
        productId,
        variantId: defaultVariantId(productId),
        variantLabel: "",
        sku: expect.any(String),
        quantity: 1,
      }),
    ]);
    // Naming the default variant is the same line.
    const same = await cartOf(
      await call("POST", "/cart/items", {
        cartToken,
        body: { productId, variantId: defaultVariantId(productId), quantity: 1 },
      }),
    );
    expect(same.lines.map((l) => [l.variantId, l.quantity])).toEqual([[defaultVariantId(productId), 2]]);
    const patched = await cartOf(await call("PATCH", `/cart/items/${productId}`, { cartToken, body: { quantity: 3 } }));
    expect(patched.lines.map((l) => l.quantity)).toEqual([3]);
    expect((await cartOf(await call("DELETE", `/cart/items/${productId}`, { cartToken }))).lines).toEqual([]);
  });

  it("refuses a variant of another product, an unknown, archived or sold-out variant, naming the field", async () => {
    const { productId, variants } = await createSizedProduct([
      { size: "M", stock: 0 },
      { size: "L", stock: 3, status: "archived" },
      { size: "XL", stock: 3 },
    ]);
    const other = await createProduct();

    const foreign = await call("POST", "/cart/items", {
      body: { productId: other, variantId: variants.XL, quantity: 1 },
    });
    expect(foreign.status).toBe(404);
    expect((await problem(foreign)).errors).toEqual([
      { path: "variantId", message: `${variants.XL} of ${other} is not in the catalog` },
    ]);

    const unknown = await call("POST", "/cart/items", {
      body: { productId, variantId: newId("variant"), quantity: 1 },
    });
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).errors).toEqual([expect.objectContaining({ path: "variantId" })]);

    const archived = await call("POST", "/cart/items", { body: { productId, variantId: variants.L, quantity: 1 } });
    expect(archived.status).toBe(422);
    expect((await problem(archived)).errors).toEqual([expect.objectContaining({ path: "variantId" })]);

    const soldOut = await call("POST", "/cart/items", { body: { productId, variantId: variants.M, quantity: 1 } });
    expect(soldOut.status).toBe(409);
    expect(await problem(soldOut)).toMatchObject({
      code: "insufficient_stock",
      lines: [{ productId, variantId: variants.M, requested: 1, available: 0 }],
    });

    const malformed = await call("POST", "/cart/items", { body: { productId, variantId: "var_nope", quantity: 1 } });
    expect(malformed.status).toBe(400);
    expect((await call("PATCH", "/cart/items/xyz_1", { body: { quantity: 1 } })).status).toBe(400);

    // The one variant on sale still goes in.
    const ok = await call("POST", "/cart/items", { body: { productId, variantId: variants.XL, quantity: 2 } });
    expect((await cartOf(ok)).lines.map((l) => [l.variantId, l.variantLabel])).toEqual([[variants.XL, "XL"]]);
  });
});

describe("orders of variants", () => {
  it("hold, sell and restock only the variant bought; order lines carry the variant", async () => {
    const me = await shopper();
    const { productId, variants } = await createSizedProduct([
      { size: "M", stock: 10, price: 2000 },
      { size: "L", stock: 10, price: 2500 },
    ]);
    const placed = await checkout(me, [{ productId, variantId: variants.L, quantity: 3 }]);
    const line = {
      productId,
      variantId: variants.L,
      variantLabel: "L",
      sku: expect.stringMatching(/-L$/),
      quantity: 3,
      unitPrice: { amount: 2500, currency: "USD" },
    };
    expect(placed.lines).toEqual([expect.objectContaining(line)]);
    const paid = await untilStatus(me, placed.id, "paid");
    expect(paid.total).toEqual({ amount: 7500, currency: "USD" });
    expect(await variantStock(variants.L)).toEqual({ onHand: 7, reserved: 0 });
    expect(await variantStock(variants.M)).toEqual({ onHand: 10, reserved: 0 });

    // The history (D1 projection) shows the same lines.
    await expect
      .poll(
        async () => {
          const page = (await (await call("GET", "/orders", { token: me.token })).json()) as OrderPage;
          return page.items.find((o) => o.id === placed.id)?.lines;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([expect.objectContaining(line)]);
    // The paid order took its units out of the cart: the variant's line is gone.
    const cart = await cartOf(await call("GET", "/cart", { token: me.token }));
    expect(cart.lines.map((l) => l.variantId)).not.toContain(variants.L);

    const cancelled = await call("POST", `/orders/${placed.id}/cancel`, { token: me.token });
    expect(cancelled.status).toBe(200);
    await expect
      .poll(() => variantStock(variants.L), { timeout: 10_000, interval: 100 })
      .toEqual({
        onHand: 10,
        reserved: 0,
      });
    expect(await variantStock(variants.M)).toEqual({ onHand: 10, reserved: 0 });
    const after: Order = await getOrder(me, placed.id);
    expect(after.timeline.find((e) => e.type === "stock.returned")?.detail).toEqual({ reservation: "restocked" });
  });

  it("two sizes of one product in one order are two lines, each held from its own stock", async () => {
    const me = await shopper();
    const { productId, variants } = await createSizedProduct([
      { size: "M", stock: 5 },
      { size: "L", stock: 2 },
    ]);
    for (const [variantId, quantity] of [
      [variants.M, 1],
      [variants.L, 2],
    ] as const) {
      await cartOf(await call("POST", "/cart/items", { token: me.token, body: { productId, variantId, quantity } }));
    }
    const setL = (onHand: number) =>
      env.TEST_PRODUCTS_DB.prepare("UPDATE inventory SET on_hand = ?2 WHERE variant_id = ?1")
        .bind(variants.L, onHand)
        .run();
    // L sells down to 1 before the order: the whole order is refused, naming the short variant, and M is not held.
    await setL(1);
    const short = await placeOrder(me, `key-${crypto.randomUUID()}`);
    expect(short.status).toBe(409);
    expect(await problem(short)).toMatchObject({
      code: "insufficient_stock",
      errors: [{ path: `lines.${variants.L}` }],
      lines: [{ productId, variantId: variants.L, requested: 2, available: 1 }],
    });
    expect(await variantStock(variants.M)).toEqual({ onHand: 5, reserved: 0 });

    await setL(2);
    const res = await placeOrder(me, `key-${crypto.randomUUID()}`);
    expect(res.status).toBe(201);
    const order = (await res.json()) as Order;
    expect(order.lines.map((l) => [l.variantId, l.variantLabel, l.quantity])).toEqual([
      [variants.M, "M", 1],
      [variants.L, "L", 2],
    ]);
    await untilStatus(me, order.id, "paid");
    expect(await variantStock(variants.M)).toEqual({ onHand: 4, reserved: 0 });
    expect(await variantStock(variants.L)).toEqual({ onHand: 0, reserved: 0 });
  });
});

describe("D1 migration 0005: the history's lines name variants", () => {
  it("gives lines from before it their product's default variant, and takes the previous release's rows", async () => {
    const db = env.TEST_LEGACY_DB;
    await applyD1Migrations(
      db,
      env.TEST_MIGRATIONS.filter((m) => m.name < "0005"),
    );
    const orderId = newId("order");
    const [a, b] = [newId("product"), newId("product")];
    const oldLine = (productId: string) =>
      db
        .prepare(
          `INSERT INTO order_lines (order_id, product_id, sku, name, quantity, unit_amount, currency, line_total)
           VALUES (?1, ?2, 'SKU', 'Thing', 1, 500, 'EUR', 500)`,
        )
        .bind(orderId, productId);
    await oldLine(a).run();
    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    // The previous release still writes rows as it did (no variant), one per product, for a while.
    await oldLine(b).run();
    const rows = () =>
      db
        .prepare(
          "SELECT product_id, variant_id, variant_label FROM order_lines WHERE order_id = ?1 ORDER BY product_id",
        )
        .bind(orderId)
        .all<{ product_id: string; variant_id: string; variant_label: string }>()
        .then((r) => r.results);
    expect(await rows()).toEqual(
      [
        { product_id: a, variant_id: defaultVariantId(a), variant_label: "" },
        { product_id: b, variant_id: "", variant_label: "" },
      ].sort((x, y) => x.product_id.localeCompare(y.product_id)),
    );
    // Such a row reads as the product's default variant.
    expect(
      lineView({
        productId: b,
        variantId: "",
        sku: "SKU",
        variantLabel: "",
        name: "Thing",
        quantity: 1,
        unitAmount: 500,
        currency: "EUR",
      }),
    ).toMatchObject({ productId: b, variantId: defaultVariantId(b) });
  });
});
