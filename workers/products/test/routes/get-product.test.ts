import type { CategoryList, ProductDetail } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { createCategory, createProduct } from "../fixtures";
import { call, json, uniqueWord } from "../http";

describe("GET /products/{id}", () => {
  it("shows the product with its category and available quantity", async () => {
    const category = await createCategory(uniqueWord("cat"), "Kitchen");
    const p = await createProduct({ categoryId: category.id, stock: 7, priceAmount: 1234 });
    const res = await call(`/products/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^"1\.c\d+-[0-9a-f]+-[0-9a-z]+"$/);
    expect(res.headers.get("cache-control")).toContain("must-revalidate");
    expect(await json<ProductDetail>(res)).toMatchObject({
      id: p.id,
      sku: p.sku,
      category: { id: category.id, slug: category.slug, name: "Kitchen" },
      price: { amount: 1234, currency: "USD" },
      available: true,
      availableQuantity: 7,
      version: 1,
    });
  });

  it("archived and unknown products are 404; a malformed id is 400", async () => {
    const archived = await createProduct({ status: "archived" });
    const gone = await call(`/products/${archived.id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toContain("application/problem+json");
    expect((await call("/products/prd_01jd8x3v4k2m9q7r5t6w8y0zab")).status).toBe(404);
    for (const bad of [
      "123",
      "prd_UPPERCASE0000000000000000000",
      "usr_01jd8x3v4k2m9q7r5t6w8y0zab",
      "prd_%27%20OR%201%3D1",
    ]) {
      const res = await call(`/products/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await json(res)).toMatchObject({ errors: [{ path: "id" }] });
    }
  });
});

describe("GET /categories", () => {
  it("lists categories by name", async () => {
    const a = await createCategory(uniqueWord("aaa"), "Aardvark supplies");
    const z = await createCategory(uniqueWord("zzz"), "Zebra goods");
    const res = await call("/categories");
    expect(res.status).toBe(200);
    const { items } = await json<CategoryList>(res);
    const ids = items.map((c) => c.id);
    expect(ids.indexOf(a.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(z.id));
    expect(items.find((c) => c.id === a.id)).toEqual({ id: a.id, slug: a.slug, name: "Aardvark supplies" });
  });
});

describe("GET /openapi.json", () => {
  it("documents every route with a bearer scheme", async () => {
    const doc = await json<{ paths: Record<string, unknown>; components: { securitySchemes: unknown } }>(
      await call("/openapi.json"),
    );
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/categories",
        "/images/{productId}/{file}",
        "/markets",
        "/markets/{code}",
        "/products",
        "/products/inventory",
        "/products/{id}",
        "/products/{id}/images",
        "/products/{id}/images/{imageId}",
        "/products/{id}/inventory",
        "/products/{id}/options",
        "/products/{id}/prices",
        "/products/{id}/variants",
        "/products/{id}/variants/{variantId}",
        "/products/{id}/variants/{variantId}/inventory",
      ].sort(),
    );
    expect(doc.components.securitySchemes).toHaveProperty("bearer");
  });
});
