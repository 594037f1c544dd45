import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import {
  type AdminVariant,
  type AdminVariantList,
  defaultVariantId,
  type Inventory,
  type ProductDetail,
} from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { createCategory, createProduct, orderId } from "../fixtures";
import { adminHeaders, call, customerHeaders, json, sendJson } from "../http";

const rpc = exports.ProductsRpc;
const TTL = 600;

let admin: Record<string, string>;

beforeAll(async () => {
  admin = await adminHeaders();
});

const SIZES = { name: "size", values: ["S", "M", "L"] };
const COLOURS = { name: "colour", values: ["Red", "Blue"] };

/** A product with size × colour options: its default variant is S/Red; `more` adds others. */
async function apparel(stock = 10, more: [string, string, number][] = []) {
  const p = await createProduct({ stock, priceAmount: 2500 });
  const set = await sendJson("PUT", `/products/${p.id}/options`, { options: [SIZES, COLOURS] }, admin);
  expect(set.status).toBe(200);
  const variants: Record<string, AdminVariant> = {};
  for (const [size, colour, initialStock] of more) {
    const res = await sendJson(
      "POST",
      `/products/${p.id}/variants`,
      { sku: `${p.sku}-${size}-${colour}`, options: { size, colour }, initialStock },
      admin,
    );
    expect(res.status).toBe(201);
    variants[`${size}/${colour}`] = await json<AdminVariant>(res);
  }
  return { ...p, variants };
}

async function variantStock(variantId: string) {
  return env.DB.prepare("SELECT on_hand AS onHand, reserved FROM inventory WHERE variant_id = ?1")
    .bind(variantId)
    .first<{ onHand: number; reserved: number }>();
}

describe("a simple product", () => {
  it("has one default variant, named by the product, with the product's SKU, price and stock", async () => {
    const p = await createProduct({ stock: 4, priceAmount: 1234 });
    const detail = await json<ProductDetail>(await call(`/products/${p.id}`));
    expect(detail.options).toEqual([]);
    expect(detail.variants).toEqual([
      {
        id: defaultVariantId(p.id),
        sku: p.sku,
        options: {},
        price: { amount: 1234, currency: "USD" },
        available: true,
      },
    ]);
    // The product's SKU and price follow to its one variant.
    const patched = await sendJson(
      "PATCH",
      `/products/${p.id}`,
      { sku: `${p.sku}-B`, price: { amount: 999, currency: "USD" } },
      { ...admin, "if-match": '"1"' },
    );
    expect(patched.status).toBe(200);
    expect((await json<ProductDetail>(patched)).variants[0]).toMatchObject({
      sku: `${p.sku}-B`,
      price: { amount: 999, currency: "USD" },
    });
  });

  it("an admin-created product comes with its default variant holding the initial stock", async () => {
    const category = (await createCategory()).id;
    const res = await sendJson(
      "POST",
      "/products",
      {
        sku: `NEW-${Date.now()}`,
        name: "Plain tee",
        categoryId: category,
        price: { amount: 100, currency: "USD" },
        initialStock: 6,
      },
      admin,
    );
    expect(res.status).toBe(201);
    const created = await json<ProductDetail>(res);
    expect(created.variants).toHaveLength(1);
    expect(await variantStock(defaultVariantId(created.id))).toEqual({ onHand: 6, reserved: 0 });
  });
});

describe("options and variants (admin)", () => {
  it("sets options, adds variants with their own SKU, price and stock, and shows them to shoppers", async () => {
    const p = await apparel(10, [["M", "Red", 5]]);
    const blue = await sendJson(
      "POST",
      `/products/${p.id}/variants`,
      { sku: `${p.sku}-L-BLUE`, options: { colour: "Blue", size: "L" }, price: { amount: 3100, currency: "USD" } },
      admin,
    );
    expect(blue.status).toBe(201);
    expect(blue.headers.get("x-catalog-version")).toBeTruthy();
    const created = await json<AdminVariant>(blue);
    expect(created).toMatchObject({
      productId: p.id,
      options: { size: "L", colour: "Blue" },
      price: { amount: 3100, currency: "USD" },
      status: "active",
      onHand: 0,
      available: false,
    });

    const detail = await json<ProductDetail>(await call(`/products/${p.id}`));
    expect(detail.options).toEqual([SIZES, COLOURS]);
    expect(detail.variants.map((v) => [v.options, v.price.amount, v.available])).toEqual([
      [{ size: "S", colour: "Red" }, 2500, true],
      [{ size: "M", colour: "Red" }, 2500, true],
      [{ size: "L", colour: "Blue" }, 3100, false],
    ]);
    expect(JSON.stringify(detail)).not.toMatch(/"(onHand|reserved)"/);

    const listed = await json<AdminVariantList>(await call(`/products/${p.id}/variants`, { headers: admin }));
    expect(listed.items.map((v) => [v.id, v.onHand])).toEqual([
      [defaultVariantId(p.id), 10],
      [p.variants["M/Red"]?.id, 5],
      [created.id, 0],
    ]);
  });

  it("refuses a combination twice, an unknown value or option, a SKU in use, and a variant of a product without options", async () => {
    const p = await apparel(3, [["M", "Red", 1]]);
    const post = (body: unknown) => sendJson("POST", `/products/${p.id}/variants`, body, admin);
    const twice = await post({ sku: `${p.sku}-X1`, options: { size: "M", colour: "Red" } });
    expect(twice.status).toBe(409);
    const unknown = await post({ sku: `${p.sku}-X2`, options: { size: "XXL", colour: "Red" } });
    expect(unknown.status).toBe(400);
    expect((await json<{ errors: { path: string }[] }>(unknown)).errors.map((e) => e.path)).toEqual(["options.size"]);
    expect((await post({ sku: `${p.sku}-X3`, options: { size: "M", colour: "Red", fit: "slim" } })).status).toBe(400);
    expect((await post({ sku: `${p.sku}-X4`, options: { size: "M" } })).status).toBe(400);
    expect((await post({ sku: p.variants["M/Red"]?.sku, options: { size: "L", colour: "Red" } })).status).toBe(409);
    const simple = await createProduct();
    const refused = await sendJson(
      "POST",
      `/products/${simple.id}/variants`,
      { sku: `${simple.sku}-M`, options: { size: "M" } },
      admin,
    );
    expect(refused.status).toBe(409);
  });

  it("options: values may be added and reordered; a value a variant has, or a renamed option, is refused", async () => {
    const p = await apparel(3, [["M", "Blue", 1]]);
    const put = (options: unknown) => sendJson("PUT", `/products/${p.id}/options`, { options }, admin);
    const grown = await put([{ name: "size", values: ["XS", "S", "M", "L"] }, COLOURS]);
    expect(grown.status).toBe(200);
    expect((await json<AdminVariantList>(grown)).options[0]?.values).toEqual(["XS", "S", "M", "L"]);
    expect((await put([{ name: "size", values: ["S", "L"] }, COLOURS])).status).toBe(409);
    expect((await put([SIZES, { name: "shade", values: ["Red", "Blue"] }])).status).toBe(409);
    expect((await put([SIZES, { name: "size", values: ["S"] }])).status).toBe(400);
    // Reordering the options keeps every variant's values.
    const swapped = await json<AdminVariantList>(await put([COLOURS, SIZES]));
    expect(swapped.items.map((v) => v.options)).toEqual([
      { colour: "Red", size: "S" },
      { colour: "Blue", size: "M" },
    ]);
  });

  it("a variant's price, SKU and status change; an archived variant leaves the shop and cannot be held", async () => {
    const p = await apparel(3, [["L", "Red", 4]]);
    const variant = p.variants["L/Red"] as AdminVariant;
    const patch = (body: unknown) => sendJson("PATCH", `/products/${p.id}/variants/${variant.id}`, body, admin);
    const priced = await patch({ price: { amount: 4200, currency: "USD" } });
    expect(priced.status).toBe(200);
    expect((await json<AdminVariant>(priced)).price.amount).toBe(4200);
    expect((await patch({ price: { amount: 1, currency: "EUR" } })).status).toBe(400);
    const archived = await json<AdminVariant>(await patch({ status: "archived" }));
    expect(archived).toMatchObject({ status: "archived", available: false, availableQuantity: 0 });
    const detail = await json<ProductDetail>(await call(`/products/${p.id}`));
    expect(detail.variants.map((v) => v.id)).not.toContain(variant.id);
    const held = await rpc.reserve(orderId(), [{ variantId: variant.id, quantity: 1 }], TTL);
    expect(held).toMatchObject({ ok: false, lines: [{ variantId: variant.id, reason: "inactive" }] });
    const other = await createProduct();
    expect(
      (await sendJson("PATCH", `/products/${other.id}/variants/${variant.id}`, { status: "active" }, admin)).status,
    ).toBe(404);
  });

  it("a variant's weight is set on create and PATCH; without one the default variant's is quoted", async () => {
    const p = await apparel(3);
    const base = defaultVariantId(p.id);
    const h = admin;
    const setDefault = await sendJson("PATCH", `/products/${p.id}/variants/${base}`, { weightGrams: 250 }, h);
    expect(setDefault.status).toBe(200);
    expect(await json<AdminVariant>(setDefault)).toMatchObject({ weightGrams: 250 });
    const heavy = await json<AdminVariant>(
      await sendJson(
        "POST",
        `/products/${p.id}/variants`,
        { sku: `${p.sku}-L-Blue`, options: { size: "L", colour: "Blue" }, weightGrams: 320 },
        h,
      ),
    );
    expect(heavy.weightGrams).toBe(320);
    const plain = await json<AdminVariant>(
      await sendJson(
        "POST",
        `/products/${p.id}/variants`,
        { sku: `${p.sku}-M-Red`, options: { size: "M", colour: "Red" } },
        h,
      ),
    );
    expect(plain.weightGrams).toBeNull();
    const quoted = await rpc.quote([
      { variantId: heavy.id, quantity: 1 },
      { variantId: plain.id, quantity: 1 },
    ]);
    expect(quoted.map((q) => q.weightGrams)).toEqual([320, 250]);
    // null clears a variant's own weight: the default variant's applies again.
    const cleared = await sendJson("PATCH", `/products/${p.id}/variants/${heavy.id}`, { weightGrams: null }, h);
    expect(await json<AdminVariant>(cleared)).toMatchObject({ weightGrams: null });
    expect((await rpc.quote([{ variantId: heavy.id, quantity: 1 }]))[0]?.weightGrams).toBe(250);
    for (const weightGrams of [-1, 1.5, "300", 1_000_001]) {
      const bad = await sendJson("PATCH", `/products/${p.id}/variants/${heavy.id}`, { weightGrams }, h);
      expect(bad.status, String(weightGrams)).toBe(400);
      expect((await json<{ errors: { path: string }[] }>(bad)).errors.map((e) => e.path)).toContain("weightGrams");
    }
    const badCreate = await sendJson(
      "POST",
      `/products/${p.id}/variants`,
      { sku: `${p.sku}-S-Blue`, options: { size: "S", colour: "Blue" }, weightGrams: -5 },
      h,
    );
    expect(badCreate.status).toBe(400);
    expect((await json<{ errors: { path: string }[] }>(badCreate)).errors.map((e) => e.path)).toContain("weightGrams");
  });

  it("a variant's stock is set on its own; below what is reserved → 409", async () => {
    const p = await apparel(3, [["M", "Red", 2]]);
    const variant = p.variants["M/Red"] as AdminVariant;
    await rpc.reserve(orderId(), [{ variantId: variant.id, quantity: 2 }], TTL);
    const path = `/products/${p.id}/variants/${variant.id}/inventory`;
    const low = await sendJson("PUT", path, { onHand: 1 }, admin);
    expect(low.status).toBe(409);
    const ok = await sendJson("PUT", path, { onHand: 9 }, admin);
    expect(await json<Inventory>(ok)).toEqual({
      productId: p.id,
      variantId: variant.id,
      onHand: 9,
      reserved: 2,
      available: 7,
    });
    // The product's stock is the sum over its variants on sale.
    const total = await json<Inventory>(await call(`/products/${p.id}/inventory`, { headers: admin }));
    expect(total).toEqual({ productId: p.id, onHand: 12, reserved: 2, available: 10 });
  });

  it("customers are refused every option and variant route", async () => {
    const p = await apparel(3, [["M", "Red", 2]]);
    const customer = await customerHeaders();
    const v = p.variants["M/Red"]?.id;
    for (const [method, path, body] of [
      ["GET", `/products/${p.id}/variants`, undefined],
      ["PUT", `/products/${p.id}/options`, { options: [SIZES, COLOURS] }],
      ["POST", `/products/${p.id}/variants`, { sku: `${p.sku}-Q`, options: { size: "L", colour: "Red" } }],
      ["PATCH", `/products/${p.id}/variants/${v}`, { status: "archived" }],
      ["PUT", `/products/${p.id}/variants/${v}/inventory`, { onHand: 0 }],
    ] as const) {
      const res =
        body === undefined ? await call(path, { headers: customer }) : await sendJson(method, path, body, customer);
      expect(res.status, `${method} ${path}`).toBe(403);
      const anonymous = body === undefined ? await call(path) : await sendJson(method, path, body);
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("stock per variant", () => {
  it("the admin variant list shows each variant's on hand, reserved and available (the admin grid's columns)", async () => {
    const p = await apparel(6, [
      ["M", "Red", 8],
      ["L", "Blue", 3],
    ]);
    const m = p.variants["M/Red"] as AdminVariant;
    const l = p.variants["L/Blue"] as AdminVariant;
    expect(await rpc.reserve(orderId(), [{ variantId: m.id, quantity: 5 }], TTL)).toMatchObject({ ok: true });
    expect(await rpc.reserve(orderId(), [{ variantId: l.id, quantity: 3 }], TTL)).toMatchObject({ ok: true });
    const list = await json<AdminVariantList>(await call(`/products/${p.id}/variants`, { headers: admin }));
    const stock = Object.fromEntries(
      list.items.map((v) => [
        Object.values(v.options).join("/"),
        { onHand: v.onHand, reserved: v.reserved, availableQuantity: v.availableQuantity, available: v.available },
      ]),
    );
    expect(stock).toEqual({
      "S/Red": { onHand: 6, reserved: 0, availableQuantity: 6, available: true },
      "M/Red": { onHand: 8, reserved: 5, availableQuantity: 3, available: true },
      "L/Blue": { onHand: 3, reserved: 3, availableQuantity: 0, available: false },
    });
  });

  it("100 parallel reserves on one variant of 10 units: exactly 10 succeed, its siblings untouched", async () => {
    const p = await apparel(50, [
      ["M", "Red", 10],
      ["L", "Red", 10],
    ]);
    const m = p.variants["M/Red"] as AdminVariant;
    const l = p.variants["L/Red"] as AdminVariant;
    const results = await Promise.all(
      Array.from({ length: 100 }, () => rpc.reserve(orderId(), [{ variantId: m.id, quantity: 1 }], TTL)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    for (const f of results.filter((r) => !r.ok)) {
      expect(f).toMatchObject({
        code: "insufficient_stock",
        lines: [{ productId: p.id, variantId: m.id, requested: 1, available: 0, reason: "insufficient_stock" }],
      });
    }
    expect(await variantStock(m.id)).toEqual({ onHand: 10, reserved: 10 });
    expect(await variantStock(l.id)).toEqual({ onHand: 10, reserved: 0 });
    expect(await variantStock(defaultVariantId(p.id))).toEqual({ onHand: 50, reserved: 0 });
  });

  it("reserve, commit, release and restock move only the variant's row; a product alone means its default variant", async () => {
    const p = await apparel(5, [["M", "Blue", 4]]);
    const mBlue = p.variants["M/Blue"] as AdminVariant;
    const sold = orderId();
    const held = await rpc.reserve(
      sold,
      [
        { variantId: mBlue.id, quantity: 3 },
        { productId: p.id, quantity: 2 },
      ],
      TTL,
    );
    expect(held).toMatchObject({
      ok: true,
      lines: [
        { productId: p.id, variantId: mBlue.id, quantity: 3 },
        { productId: p.id, variantId: defaultVariantId(p.id), quantity: 2 },
      ],
    });
    expect(held.ok && held.quotes?.map((q) => q.variantLabel)).toEqual(["M / Blue", "S / Red"]);
    expect(await rpc.commit(sold)).toEqual({ ok: true, state: "committed" });
    expect(await variantStock(mBlue.id)).toEqual({ onHand: 1, reserved: 0 });
    expect(await variantStock(defaultVariantId(p.id))).toEqual({ onHand: 3, reserved: 0 });
    expect(await rpc.restock(sold)).toEqual({ ok: true, state: "restocked" });
    expect(await variantStock(mBlue.id)).toEqual({ onHand: 4, reserved: 0 });

    const released = orderId();
    await rpc.reserve(released, [{ variantId: mBlue.id, quantity: 4 }], TTL);
    const soldOut = await json<ProductDetail>(await call(`/products/${p.id}`));
    expect(soldOut.variants.find((v) => v.id === mBlue.id)?.available).toBe(false);
    expect(await rpc.release(released)).toEqual({ ok: true, state: "released" });
    expect(await variantStock(mBlue.id)).toEqual({ onHand: 4, reserved: 0 });
  });

  it("quotes name the variant, its SKU, price and label; a variant of another product is not found", async () => {
    const p = await apparel(5, [["L", "Blue", 2]]);
    const lBlue = p.variants["L/Blue"] as AdminVariant;
    const other = await createProduct();
    const quoted = await rpc.quote([
      { variantId: lBlue.id, quantity: 1 },
      { productId: p.id, quantity: 1 },
      { productId: other.id, variantId: lBlue.id, quantity: 1 },
    ]);
    expect(quoted[0]).toMatchObject({
      productId: p.id,
      variantId: lBlue.id,
      variantLabel: "L / Blue",
      sku: lBlue.sku,
      found: true,
      available: 2,
    });
    expect(quoted[1]).toMatchObject({ productId: p.id, variantId: defaultVariantId(p.id), variantLabel: "S / Red" });
    expect(quoted[2]).toMatchObject({ found: false, available: 0 });
    const refused = await rpc.reserve(orderId(), [{ productId: other.id, variantId: lBlue.id, quantity: 1 }], TTL);
    expect(refused).toMatchObject({ ok: false, lines: [{ reason: "not_found" }] });
  });
});
