import { env } from "cloudflare:test";
import type { ProductPage, ProductSummary } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { createCategory, createProduct } from "../fixtures";
import { call, json, uniqueWord } from "../http";

async function page(query: string): Promise<ProductPage> {
  const res = await call(`/products?${query}`);
  expect(res.status).toBe(200);
  return json<ProductPage>(res);
}

async function walk(query: string, limit: number): Promise<ProductSummary[]> {
  const seen: ProductSummary[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const p: ProductPage = await page(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(p.items.length).toBeLessThanOrEqual(limit);
    seen.push(...p.items);
    cursor = p.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error("pagination did not end");
}

describe("GET /products search", () => {
  it("finds products by a word of the name or of the description, not archived ones", async () => {
    const word = uniqueWord();
    const byName = await createProduct({ name: `Enamel ${word} mug` });
    const byDescription = await createProduct({ name: "Plain cup", description: `Glazed in ${word} blue` });
    await createProduct({ name: `Archived ${word}`, status: "archived" });
    await createProduct({ name: "Unrelated teapot" });
    const found = await page(`q=${word}`);
    expect(found.items.map((p) => p.id).sort()).toEqual([byName.id, byDescription.id].sort());
    // a name match ranks above a description match
    expect(found.items[0]?.id).toBe(byName.id);
  });

  it("matches word prefixes and requires every word", async () => {
    const word = uniqueWord();
    const both = await createProduct({ name: `${word} kettle stovetop` });
    await createProduct({ name: `${word} toaster` });
    const found = await page(`q=${encodeURIComponent(`${word.slice(0, 8)} kett`)}`);
    expect(found.items.map((p) => p.id)).toEqual([both.id]);
  });

  it("treats operator characters as plain text (no FTS syntax errors)", async () => {
    for (const q of ['"unbalanced', "a OR b NOT c", "name:x*", "((( mug", "mug^2 -tea", "<script>alert(1)</script>"]) {
      const res = await call(`/products?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });

  it("refuses a query without letters or digits", async () => {
    const res = await call(`/products?q=${encodeURIComponent("!!! ???")}`);
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ code: "validation_failed", errors: [{ path: "q" }] });
  });

  it("walks every page of search results exactly once (relevance order)", async () => {
    const word = uniqueWord();
    const ids = [];
    for (let i = 0; i < 12; i++) {
      const p = await createProduct({ name: i % 3 === 0 ? `${word} ${word} special` : `${word} item ${i}` });
      ids.push(p.id);
    }
    const seen = await walk(`q=${word}`, 5);
    expect(seen.map((p) => p.id).sort()).toEqual(ids.sort());
    expect(new Set(seen.map((p) => p.id)).size).toBe(12);
  });
});

describe("GET /products filters, sorts and pages", () => {
  async function catalog() {
    const category = await createCategory(uniqueWord("cat"));
    const base = Date.now() - 100_000;
    const prices = [500, 1500, 1500, 1500, 2500, 999, 1500, 3000, 100, 1500, 700];
    const products = [];
    for (const [i, price] of prices.entries()) {
      products.push({
        ...(await createProduct({
          categoryId: category.id,
          priceAmount: price,
          name: `${String.fromCharCode(75 - i)}-thing`,
          createdAt: base + (i % 4) * 1000, // ties on purpose
          stock: i === 3 ? 0 : 5,
        })),
        price,
      });
    }
    return { category, products };
  }

  it("filters by category slug or id and by price range; sorts by price both ways", async () => {
    const { category, products } = await catalog();
    const bySlug = await walk(`category=${category.slug}&sort=price_asc`, 100);
    const byId = await walk(`category=${category.id}&sort=price_asc`, 100);
    expect(byId.map((p) => p.id)).toEqual(bySlug.map((p) => p.id));
    expect(bySlug).toHaveLength(products.length);
    const asc = bySlug.map((p) => p.price.amount);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));

    const desc = (await walk(`category=${category.slug}&sort=price_desc`, 3)).map((p) => p.price.amount);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));

    const ranged = await walk(`category=${category.slug}&minPrice=700&maxPrice=1500`, 2);
    const expected = products.filter((p) => p.price >= 700 && p.price <= 1500).map((p) => p.id);
    expect(ranged.map((p) => p.id).sort()).toEqual(expected.sort());
  });

  it("pages with ties in the sort key return every product exactly once, in order", async () => {
    const { category, products } = await catalog();
    for (const sort of ["price_asc", "price_desc", "newest", "name"]) {
      for (const limit of [1, 2, 4]) {
        const seen = await walk(`category=${category.slug}&sort=${sort}`, limit);
        const all = await walk(`category=${category.slug}&sort=${sort}`, 100);
        expect(
          seen.map((p) => p.id),
          `${sort}/${limit}`,
        ).toEqual(all.map((p) => p.id));
        expect(new Set(seen.map((p) => p.id)).size).toBe(products.length);
      }
    }
    const byName = (await walk(`category=${category.slug}&sort=name`, 100)).map((p) => p.name);
    expect(byName).toEqual([...byName].sort());
    const newest = (await walk(`category=${category.slug}&sort=newest`, 100)).map((p) => p.createdAt);
    expect(newest).toEqual([...newest].sort().reverse());
  });

  it("flags availability per item", async () => {
    const category = await createCategory(uniqueWord("cat"));
    const inStock = await createProduct({ categoryId: category.id, stock: 1 });
    const soldOut = await createProduct({ categoryId: category.id, stock: 0 });
    const items = (await page(`category=${category.slug}`)).items;
    expect(items.find((p) => p.id === inStock.id)?.available).toBe(true);
    expect(items.find((p) => p.id === soldOut.id)?.available).toBe(false);
  });

  it("an unknown category is an empty page", async () => {
    expect(await page("category=no-such-category")).toMatchObject({ items: [], nextCursor: null });
  });

  it("defaults to 20 items per page", async () => {
    const category = await createCategory(uniqueWord("cat"));
    for (let i = 0; i < 21; i++) await createProduct({ categoryId: category.id });
    const first = await page(`category=${category.slug}`);
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
  });
});

describe("GET /products bad input → 400 problem+json", () => {
  const cases: [string, string][] = [
    ["limit=1000000", "limit"],
    ["limit=0", "limit"],
    ["limit=abc", "limit"],
    ["cursor=%%%not-a-cursor", "cursor"],
    [`cursor=${btoa('["price_asc",1,"x"]').replaceAll("=", "")}`, "cursor"],
    ["minPrice=-1", "minPrice"],
    ["minPrice=500&maxPrice=100", "minPrice"],
    ["sort=cheapest", "sort"],
    ["sort=relevance", "sort"],
    ["currency=XYZ", "currency"],
    ["category=Not%20A%20Slug", "category"],
    ["colour=blue", "colour"],
  ];
  for (const [query, field] of cases) {
    it(`${query} names ${field}`, async () => {
      const res = await call(`/products?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = await json<{ errors: { path: string }[] }>(res);
      expect(body.errors.map((e) => e.path)).toContain(field);
    });
  }

  it("a cursor from another sort is refused", async () => {
    const category = await createCategory(uniqueWord("cat"));
    await createProduct({ categoryId: category.id });
    await createProduct({ categoryId: category.id });
    const first = await page(`category=${category.slug}&sort=name&limit=1`);
    const res = await call(`/products?category=${category.slug}&sort=price_asc&limit=1&cursor=${first.nextCursor}`);
    expect(res.status).toBe(400);
  });
});

describe("GET /products keeps the stock invariant visible", () => {
  it("the database refuses reserved above on hand even from a direct write", async () => {
    const p = await createProduct({ stock: 3 });
    await expect(
      env.DB.prepare("UPDATE inventory SET reserved = 4 WHERE product_id = ?1").bind(p.id).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });
});
