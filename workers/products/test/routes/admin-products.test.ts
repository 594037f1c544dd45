import { exports } from "cloudflare:workers";
import type { AdminProduct, ProductDetail } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import { createCategory, createProduct, orderId, stockOf } from "../fixtures";
import { adminHeaders, call, customerHeaders, json, sendJson, uniqueWord } from "../http";

let admin: Record<string, string>;
let customer: Record<string, string>;
let categoryId: string;

beforeAll(async () => {
  admin = await adminHeaders();
  customer = await customerHeaders();
  categoryId = (await createCategory(uniqueWord("cat"))).id;
});

const validBody = () => ({
  sku: `SKU-${uniqueWord()}`,
  name: "Stoneware mug",
  description: "Holds 350 ml.",
  categoryId,
  price: { amount: 1899, currency: "EUR" },
  attributes: { colour: "blue", capacityMl: 350, dishwasherSafe: true },
  imageUrls: ["https://img.example/mug.jpg"],
  initialStock: 12,
});

async function created(): Promise<AdminProduct> {
  const res = await sendJson("POST", "/products", validBody(), admin);
  expect(res.status).toBe(201);
  return json<AdminProduct>(res);
}

describe("POST /products", () => {
  it("creates a product with stock; shoppers see it at once", async () => {
    const body = validBody();
    const res = await sendJson("POST", "/products", body, admin);
    expect(res.status).toBe(201);
    const product = await json<AdminProduct>(res);
    expect(product).toMatchObject({
      sku: body.sku,
      price: { amount: 1899, currency: "EUR" },
      attributes: body.attributes,
      imageUrls: body.imageUrls,
      status: "active",
      version: 1,
      onHand: 12,
      reserved: 0,
      availableQuantity: 12,
    });
    expect(product.id).toMatch(/^prd_[0-9a-z]{26}$/);
    expect(res.headers.get("location")).toBe(`/products/${product.id}`);
    const view = await json<ProductDetail>(await call(`/products/${product.id}`));
    expect(view).toMatchObject({ id: product.id, availableQuantity: 12, available: true });
  });

  it("a duplicate SKU is 409", async () => {
    const body = validBody();
    expect((await sendJson("POST", "/products", body, admin)).status).toBe(201);
    const res = await sendJson("POST", "/products", body, admin);
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ errors: [{ path: "sku" }] });
  });

  it("an unknown category is 400 naming categoryId", async () => {
    const res = await sendJson(
      "POST",
      "/products",
      { ...validBody(), categoryId: "cat_01jd8x3v4k2m9q7r5t6w8y0zab" },
      admin,
    );
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ errors: [{ path: "categoryId" }] });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["negative price", { price: { amount: -1, currency: "EUR" } }, "price.amount"],
    ["fractional price", { price: { amount: 18.99, currency: "EUR" } }, "price.amount"],
    ["unknown currency", { price: { amount: 100, currency: "XYZ" } }, "price.currency"],
    ["bad category id", { categoryId: "kitchen" }, "categoryId"],
    ["javascript: image", { imageUrls: ["javascript:alert(1)"] }, "imageUrls.0"],
    ["negative stock", { initialStock: -5 }, "initialStock"],
    ["mass assignment: id", { id: "prd_01jd8x3v4k2m9q7r5t6w8y0zab" }, "id"],
    ["mass assignment: version", { version: 7 }, "version"],
    ["mass assignment: reserved", { reserved: 3 }, "reserved"],
    ["mass assignment: status", { status: "archived" }, "status"],
  ];
  for (const [what, patch, field] of bad) {
    it(`${what} → 400 naming ${field}`, async () => {
      const res = await sendJson("POST", "/products", { ...validBody(), ...patch }, admin);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = await json<{ errors: { path: string }[] }>(res);
      expect(body.errors.map((e) => e.path)).toContain(field);
    });
  }

  it("no token → 401, customer → 403, and nothing is created", async () => {
    const body = validBody();
    expect((await sendJson("POST", "/products", body)).status).toBe(401);
    expect((await sendJson("POST", "/products", body, customer)).status).toBe(403);
    expect((await sendJson("POST", "/products", body, { authorization: "Bearer not.a.jwt" })).status).toBe(401);
    // the SKU is still free
    expect((await sendJson("POST", "/products", body, admin)).status).toBe(201);
  });
});

describe("PATCH /products/{id}", () => {
  it("updates with the current version; the version moves on", async () => {
    const p = await created();
    const res = await sendJson("PATCH", `/products/${p.id}`, { name: "Renamed mug" }, { ...admin, "if-match": '"1"' });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(await json(res)).toMatchObject({ name: "Renamed mug", version: 2 });
  });

  it("accepts the ETag of GET /products/{id} as If-Match", async () => {
    const p = await created();
    const etag = (await call(`/products/${p.id}`)).headers.get("etag") ?? "";
    const res = await sendJson("PATCH", `/products/${p.id}`, { description: "New" }, { ...admin, "if-match": etag });
    expect(res.status).toBe(200);
  });

  it("a stale version → 412 and nothing changes; no If-Match → 428", async () => {
    const p = await created();
    await sendJson("PATCH", `/products/${p.id}`, { name: "First" }, { ...admin, "if-match": '"1"' });
    const stale = await sendJson("PATCH", `/products/${p.id}`, { name: "Second" }, { ...admin, "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(await json(stale)).toMatchObject({ code: "precondition_failed" });
    const missing = await sendJson("PATCH", `/products/${p.id}`, { name: "Third" }, admin);
    expect(missing.status).toBe(428);
    expect(await json(await call(`/products/${p.id}`))).toMatchObject({ name: "First", version: 2 });
  });

  it("mass assignment and bad values → 400", async () => {
    const p = await created();
    const h = { ...admin, "if-match": '"1"' };
    for (const [body, field] of [
      [{ reserved: 0 }, "reserved"],
      [{ onHand: 100 }, "onHand"],
      [{ id: "prd_01jd8x3v4k2m9q7r5t6w8y0zab" }, "id"],
      [{ version: 9 }, "version"],
      [{ status: "active" }, "status"],
      [{ price: { amount: -100, currency: "USD" } }, "price.amount"],
      [{}, "body"],
    ] as const) {
      const res = await sendJson("PATCH", `/products/${p.id}`, body, h);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await json<{ errors: { path: string }[] }>(res);
      expect(problem.errors.map((e) => e.path)).toContain(field);
    }
    expect((await sendJson("PATCH", `/products/${p.id}`, { name: "x" }, { ...admin, "if-match": "1" })).status).toBe(
      400,
    );
  });

  it("sets the tax class; the quote carries it with the category", async () => {
    const p = await created();
    expect(p.taxClass).toBe("standard");
    const res = await sendJson("PATCH", `/products/${p.id}`, { taxClass: "reduced" }, { ...admin, "if-match": '"1"' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ taxClass: "reduced", version: 2 });
    const [quoted] = await exports.ProductsRpc.quote([{ productId: p.id, quantity: 1 }]);
    expect(quoted).toMatchObject({ taxClass: "reduced", categoryId });
    for (const taxClass of ["luxury", "", null]) {
      const bad = await sendJson("PATCH", `/products/${p.id}`, { taxClass }, { ...admin, "if-match": '"2"' });
      expect(bad.status, String(taxClass)).toBe(400);
      expect((await json<{ errors: { path: string }[] }>(bad)).errors.map((e) => e.path)).toContain("taxClass");
    }
    const zero = await sendJson("POST", "/products", { ...validBody(), taxClass: "zero" }, admin);
    expect(zero.status).toBe(201);
    expect(await json(zero)).toMatchObject({ taxClass: "zero" });
    const badCreate = await sendJson("POST", "/products", { ...validBody(), taxClass: "ZERO" }, admin);
    expect(badCreate.status).toBe(400);
    expect((await json<{ errors: { path: string }[] }>(badCreate)).errors.map((e) => e.path)).toContain("taxClass");
  });

  it("unknown, archived or malformed ids", async () => {
    const h = { ...admin, "if-match": '"1"' };
    expect((await sendJson("PATCH", "/products/prd_01jd8x3v4k2m9q7r5t6w8y0zab", { name: "x" }, h)).status).toBe(404);
    expect((await sendJson("PATCH", "/products/not-an-id", { name: "x" }, h)).status).toBe(400);
    const archived = await createProduct({ status: "archived" });
    expect((await sendJson("PATCH", `/products/${archived.id}`, { name: "x" }, h)).status).toBe(404);
  });

  it("no token → 401, customer → 403", async () => {
    const p = await created();
    expect((await sendJson("PATCH", `/products/${p.id}`, { name: "x" }, { "if-match": '"1"' })).status).toBe(401);
    expect(
      (await sendJson("PATCH", `/products/${p.id}`, { name: "x" }, { ...customer, "if-match": '"1"' })).status,
    ).toBe(403);
  });
});

describe("DELETE /products/{id}", () => {
  it("archives: shoppers get 404 and no longer find it; held stock can still be committed", async () => {
    const word = uniqueWord();
    const p = await createProduct({ name: `${word} lamp`, stock: 5 });
    const order = orderId();
    expect((await exports.ProductsRpc.reserve(order, [{ productId: p.id, quantity: 2 }], 600)).ok).toBe(true);
    const res = await call(`/products/${p.id}`, { method: "DELETE", headers: admin });
    expect(res.status).toBe(204);
    expect((await call(`/products/${p.id}`)).status).toBe(404);
    expect((await json<{ items: unknown[] }>(await call(`/products?q=${word}`))).items).toEqual([]);
    expect(await exports.ProductsRpc.commit(order)).toEqual({ ok: true, state: "committed" });
    expect(await stockOf(p.id)).toEqual({ onHand: 3, reserved: 0 });
    // repeating is harmless
    expect((await call(`/products/${p.id}`, { method: "DELETE", headers: admin })).status).toBe(204);
  });

  it("unknown → 404, stale If-Match → 412, no token → 401, customer → 403", async () => {
    const p = await createProduct();
    expect((await call("/products/prd_01jd8x3v4k2m9q7r5t6w8y0zab", { method: "DELETE", headers: admin })).status).toBe(
      404,
    );
    expect(
      (await call(`/products/${p.id}`, { method: "DELETE", headers: { ...admin, "if-match": '"5"' } })).status,
    ).toBe(412);
    expect((await call(`/products/${p.id}`, { method: "DELETE" })).status).toBe(401);
    expect((await call(`/products/${p.id}`, { method: "DELETE", headers: customer })).status).toBe(403);
    expect((await call(`/products/${p.id}`)).status).toBe(200);
  });
});

describe("PUT /products/{id}/inventory", () => {
  it("sets on hand; availability follows", async () => {
    const p = await createProduct({ stock: 0 });
    const res = await sendJson("PUT", `/products/${p.id}/inventory`, { onHand: 40 }, admin);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ productId: p.id, onHand: 40, reserved: 0, available: 40 });
    expect(await json(await call(`/products/${p.id}`))).toMatchObject({ available: true, availableQuantity: 40 });
  });

  it("below the reserved units → 409, stock unchanged", async () => {
    const p = await createProduct({ stock: 10 });
    await exports.ProductsRpc.reserve(orderId(), [{ productId: p.id, quantity: 6 }], 600);
    const res = await sendJson("PUT", `/products/${p.id}/inventory`, { onHand: 5 }, admin);
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({
      code: "conflict",
      errors: [{ path: "onHand", message: "must be at least 6" }],
    });
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 6 });
    expect((await sendJson("PUT", `/products/${p.id}/inventory`, { onHand: 6 }, admin)).status).toBe(200);
  });

  it("bad bodies → 400 (reserved cannot be set), unknown → 404, no token → 401, customer → 403", async () => {
    const p = await createProduct({ stock: 10 });
    for (const body of [{ onHand: -1 }, { onHand: 1.5 }, { onHand: 5, reserved: 0 }, {}]) {
      expect((await sendJson("PUT", `/products/${p.id}/inventory`, body, admin)).status, JSON.stringify(body)).toBe(
        400,
      );
    }
    expect(
      (await sendJson("PUT", "/products/prd_01jd8x3v4k2m9q7r5t6w8y0zab/inventory", { onHand: 1 }, admin)).status,
    ).toBe(404);
    expect((await sendJson("PUT", `/products/${p.id}/inventory`, { onHand: 1 })).status).toBe(401);
    expect((await sendJson("PUT", `/products/${p.id}/inventory`, { onHand: 1 }, customer)).status).toBe(403);
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
  });
});

describe("GET /products/{id}/inventory", () => {
  it("shows admins on hand and reserved; unknown → 404, no token → 401, customer → 403", async () => {
    const p = await createProduct({ stock: 9 });
    await exports.ProductsRpc.reserve(orderId(), [{ productId: p.id, quantity: 4 }], 600);
    const res = await call(`/products/${p.id}/inventory`, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await json(res)).toEqual({ productId: p.id, onHand: 9, reserved: 4, available: 5 });
    expect((await call("/products/prd_01jd8x3v4k2m9q7r5t6w8y0zab/inventory", { headers: admin })).status).toBe(404);
    expect((await call(`/products/${p.id}/inventory`)).status).toBe(401);
    expect((await call(`/products/${p.id}/inventory`, { headers: customer })).status).toBe(403);
  });
});

describe("GET /products/inventory?ids=", () => {
  it("shows admins the stock of several products in the order asked; unknown ids are left out", async () => {
    const a = await createProduct({ stock: 9 });
    const b = await createProduct({ stock: 0 });
    await exports.ProductsRpc.reserve(orderId(), [{ productId: a.id, quantity: 4 }], 600);
    const unknown = "prd_01jd8x3v4k2m9q7r5t6w8y0zab";
    const res = await call(`/products/inventory?ids=${b.id},${unknown},${a.id}`, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await json(res)).toEqual({
      items: [
        { productId: b.id, onHand: 0, reserved: 0, available: 0 },
        { productId: a.id, onHand: 9, reserved: 4, available: 5 },
      ],
    });
  });

  it("bad ids → 400 naming ids; no token → 401, customer → 403", async () => {
    const p = await createProduct();
    const many = Array.from({ length: 101 }, () => newId("product"));
    for (const query of ["ids=not-an-id", `ids=${p.id},`, "ids=", `ids=${many.join(",")}`, ""]) {
      const res = await call(`/products/inventory?${query}`, { headers: admin });
      expect(res.status, query).toBe(400);
      expect(
        (await json<{ errors: { path: string }[] }>(res)).errors.map((e) => e.path),
        query,
      ).toEqual(["ids"]);
    }
    expect((await call(`/products/inventory?ids=${p.id}`)).status).toBe(401);
    expect((await call(`/products/inventory?ids=${p.id}`, { headers: customer })).status).toBe(403);
  });
});
