import { describe, expect, it } from "vitest";
import { call } from "../support/http";

describe("journey: browsing the seeded catalog", () => {
  it("lists categories, pages through every product exactly once, searches and opens a product", async () => {
    const categories = await call("GET", "/categories");
    expect(categories.status).toBe(200);
    expect(categories.body.items.length).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await call(
        "GET",
        `/products?limit=7&sort=name${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p) => p.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen.length).toBeGreaterThanOrEqual(50);
    expect(new Set(seen).size).toBe(seen.length);

    const slug = categories.body.items[0].slug;
    const inCategory = await call("GET", `/products?category=${slug}&limit=100`);
    expect(inCategory.status).toBe(200);
    expect(inCategory.body.items.length).toBeGreaterThan(0);
    expect(
      inCategory.body.items.every((p: { categoryId: string }) => p.categoryId === categories.body.items[0].id),
    ).toBe(true);

    const product = await call("GET", `/products/${seen[0]}`);
    expect(product.status).toBe(200);
    expect(product.body.price.amount).toEqual(expect.any(Number));
    expect(product.headers.get("etag")).toBeTruthy();
    const again = await fetch(`${(await import("../support/http")).baseUrl()}/products/${seen[0]}`, {
      headers: { "if-none-match": product.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);

    const word = (product.body.name as string).split(/\s+/)[0] ?? "";
    const found = await call("GET", `/products?q=${encodeURIComponent(word)}`);
    expect(found.body.items.map((p: { id: string }) => p.id)).toContain(seen[0]);
  });

  it("answers bad catalog input with 400 problem+json naming the field", async () => {
    for (const [path, field] of [
      ["/products?limit=1000000", "limit"],
      ["/products?cursor=not-a-cursor", "cursor"],
      ["/products?minPrice=-5", "minPrice"],
      ["/products/not-an-id", "id"],
    ] as const) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(res.body.errors ?? res.body.detail), path).toContain(field);
    }
  });
});
