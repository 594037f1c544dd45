import { describe, expect, it } from "vitest";
import { screenshot, useBrowser } from "../support/browser";
import { call } from "../support/http";

// Catalog facets through the gateway: counts that agree with a count over the whole seeded
// catalog, filters that page like any listing, bad filters named, equivalent URLs sharing one
// edge entry; and on the storefront, a shopper ticks a facet and sees the list narrow.

type Item = { id: string; categoryId: string; price: { amount: number }; available: boolean };
type Facets = {
  category: { value: string; label: string; count: number }[];
  price: { band: string; count: number }[];
  inStock: { true: number; false: number };
};

async function everything(query = ""): Promise<{ items: Item[]; facets: Facets }> {
  const items: Item[] = [];
  let facets: Facets | undefined;
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await call("GET", `/products?limit=9&sort=name${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status, query).toBe(200);
    facets ??= res.body.facets;
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return { items, facets: facets as Facets };
  }
  throw new Error("pagination did not end");
}

const inBand = (band: string, amount: number) => {
  const [from = "", to = ""] = band.split("-");
  return amount >= Number(from) && (to === "" || amount < Number(to));
};

describe("catalog facets through the gateway", () => {
  it("counts agree with the whole catalog counted by hand; each facet leaves out its own filter", async () => {
    const cats: { id: string; slug: string }[] = (await call("GET", "/categories")).body.items;
    const slugOf = (id: string) => cats.find((c) => c.id === id)?.slug;
    const all = (await everything()).items;
    expect(all.length).toBeGreaterThanOrEqual(50);

    const filters = { category: ["kitchen", "books"], price: ["0-2000", "2000-5000"] };
    const query = `&category=${filters.category.join(",")}&price=${filters.price.join(",")}&inStock=true`;
    const got = await everything(query);

    const inCats = (p: Item) => filters.category.includes(slugOf(p.categoryId) ?? "");
    const inBands = (p: Item) => filters.price.some((b) => inBand(b, p.price.amount));
    expect(got.items.map((p) => p.id).sort()).toEqual(
      all
        .filter((p) => inCats(p) && inBands(p) && p.available)
        .map((p) => p.id)
        .sort(),
    );
    for (const c of got.facets.category) {
      const id = cats.find((x) => x.slug === c.value)?.id;
      expect(c.count, c.value).toBe(all.filter((p) => p.categoryId === id && inBands(p) && p.available).length);
    }
    for (const b of got.facets.price) {
      expect(b.count, b.band).toBe(
        all.filter((p) => inCats(p) && inBand(b.band, p.price.amount) && p.available).length,
      );
    }
    expect(got.facets.inStock).toEqual({
      true: all.filter((p) => inCats(p) && inBands(p) && p.available).length,
      false: all.filter((p) => inCats(p) && inBands(p) && !p.available).length,
    });
  });

  it("combines with search; equivalent URLs share the edge entry", async () => {
    const first = await call("GET", "/products?q=mug&price=2000-5000,0-2000&category=outdoor,kitchen");
    expect(first.status).toBe(200);
    expect(first.body.items.length).toBeGreaterThan(0);
    let again = first;
    // The entry is written after the answer: wait until it is there.
    for (let i = 0; i < 20; i++) {
      again = await call("GET", "/products?category=kitchen,outdoor&q=mug&limit=20&price=0-2000,2000-5000");
      if (again.headers.get("x-cache") === "hit") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(again.headers.get("x-cache")).toBe("hit");
    expect(again.body).toEqual(first.body);
  });

  it("answers bad filters with 400 problem+json naming the field", async () => {
    for (const [query, field] of [
      ["price=20-10", "price"],
      ["price=cheap", "price"],
      ["category=kitchen,NOT%20A%20SLUG", "category"],
      ["inStock=maybe", "inStock"],
    ] as const) {
      const res = await call("GET", `/products?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toEqual([field]);
    }
  });
});

describe("catalog facets in the storefront", () => {
  const browser = useBrowser();

  it("ticking a category narrows the list to it; Back and Clear filters widen it again", async () => {
    const shopper = await browser.open();
    const { page } = shopper;
    await page.goto("/#/products");
    const cards = page.locator("#product-list > li");
    await cards.first().waitFor();
    expect(await cards.count()).toBe(12);

    const books = page.getByRole("checkbox", { name: /^Books \(\d+\)$/ });
    const label = (await page.locator(`label[for="facet-category-books"]`).textContent()) ?? "";
    const count = Number(/\((\d+)\)/.exec(label)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(12);
    await books.check();

    await expect.poll(() => cards.count()).toBe(count);
    for (const text of await page.locator("#product-list .card-body .muted").allTextContents())
      expect(text).toBe("Books");
    expect(page.url()).toContain("category=books");
    await expect
      .poll(() => page.locator(".summary").textContent())
      .toBe(`Showing ${count} of ${count} products (all results).`);
    await expect.poll(() => page.title()).toBe("Books · Shop at the edge");
    // Focus stays on the box the shopper ticked, now checked.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("facet-category-books");
    expect(await books.isChecked()).toBe(true);
    await screenshot(page, "catalog-facets-books");

    // In stock only narrows further, by the count its label gave.
    const inStockLabel = (await page.locator(`label[for="facet-in-stock"]`).textContent()) ?? "";
    const inStock = Number(/\((\d+)\)/.exec(inStockLabel)?.[1]);
    await page.getByRole("checkbox", { name: /^In stock only/ }).check();
    await expect.poll(() => cards.count()).toBe(inStock);

    await page.goBack();
    await expect.poll(() => cards.count()).toBe(count);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => cards.count()).toBe(12);
    expect(await page.getByRole("checkbox", { name: /^Books/ }).isChecked()).toBe(false);
  });
});
