import { env } from "cloudflare:test";
import { type CatalogFacets, PRICE_BANDS, type ProductPage, type ProductSummary } from "@shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json } from "../http";

// Facet counts checked against a brute-force count over the seeded catalog: every active
// product read straight from D1, filtered and counted here in plain code.

type Row = {
  id: string;
  category_id: string;
  slug: string;
  label: string;
  price: number;
  available: number;
};

type Filters = { q?: string; category?: string[]; price?: string[]; inStock?: boolean };

let all: Row[];

async function seedCatalog() {
  const statements = env.TEST_SEED_SQL.split("\n").filter((s) => s && !s.startsWith("--"));
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
  // Some sold out (one only by holds), one archived: the in-stock facet and the status filter have work.
  // A product's stock is the sum over its variants (ADR 0029): these updates cover every variant.
  const { results } = await env.DB.prepare("SELECT id FROM products ORDER BY id").all<{ id: string }>();
  const ids = results.map((r) => r.id);
  await env.DB.batch([
    ...ids
      .filter((_, i) => i % 5 === 0)
      .map((id) => env.DB.prepare("UPDATE inventory SET on_hand = 0, reserved = 0 WHERE product_id = ?1").bind(id)),
    env.DB.prepare("UPDATE inventory SET reserved = on_hand WHERE product_id = ?1").bind(ids[1]),
    env.DB.prepare("UPDATE products SET status = 'archived' WHERE id = ?1").bind(ids[2]),
    env.DB.prepare("UPDATE catalog_state SET version = version + 1, stamp = lower(hex(randomblob(8))) WHERE id = 1"),
  ]);
  const rows = await env.DB.prepare(
    `SELECT p.id, p.category_id, c.slug, c.name AS label, p.price_amount AS price,
            (SELECT COALESCE(SUM(i.on_hand - i.reserved), 0) FROM inventory i JOIN product_variants v ON v.id = i.variant_id
              WHERE i.product_id = p.id AND v.status = 'active') AS available
       FROM products p JOIN categories c ON c.id = p.category_id
      WHERE p.status = 'active'`,
  ).all<Row>();
  all = rows.results;
}

const band = (text: string) => {
  const [from = "", to = ""] = text.split("-");
  return (price: number) => price >= Number(from) && (to === "" || price < Number(to));
};

/** Every page of a query, walked with a small limit; the first page's facets. */
async function walk(query: string): Promise<{ items: ProductSummary[]; facets: CatalogFacets }> {
  const items: ProductSummary[] = [];
  let cursor: string | null = null;
  let facets: CatalogFacets | undefined;
  for (let i = 0; i < 50; i++) {
    const res = await call(`/products?${query}&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status, query).toBe(200);
    const page = await json<ProductPage>(res);
    facets ??= page.facets;
    // Later pages of the same query carry the same counts.
    expect(page.facets, query).toEqual(facets);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return { items, facets };
  }
  throw new Error("pagination did not end");
}

/** The ids a search finds (its own tests cover full-text matching). */
async function searchIds(q: string): Promise<Set<string>> {
  return new Set((await walk(`q=${encodeURIComponent(q)}`)).items.map((p) => p.id));
}

/** What the page and its facets must be, counted the slow way. */
async function expected(f: Filters) {
  const found = f.q ? await searchIds(f.q) : undefined;
  const passes = {
    q: (r: Row) => !found || found.has(r.id),
    category: (r: Row) => !f.category || f.category.includes(r.slug) || f.category.includes(r.category_id),
    price: (r: Row) => !f.price || f.price.some((b) => band(b)(r.price)),
    inStock: (r: Row) => f.inStock === undefined || r.available > 0 === f.inStock,
  };
  const but = (skip: keyof typeof passes) =>
    all.filter((r) => Object.entries(passes).every(([k, ok]) => k === skip || ok(r)));

  const byCategory = new Map<string, { value: string; label: string; count: number; id: string }>();
  for (const r of all) byCategory.set(r.category_id, { value: r.slug, label: r.label, count: 0, id: r.category_id });
  for (const r of but("category")) (byCategory.get(r.category_id) as { count: number }).count++;
  const category = [...byCategory.values()]
    .filter((c) => c.count > 0 || f.category?.includes(c.value) || f.category?.includes(c.id))
    .sort((a, b) => (a.label === b.label ? (a.id < b.id ? -1 : 1) : a.label < b.label ? -1 : 1))
    .map(({ value, label, count }) => ({ value, label, count }));
  const priced = but("price");
  const stocked = but("inStock");
  const facets: CatalogFacets = {
    category,
    price: PRICE_BANDS.map((b) => ({ band: b, count: priced.filter((r) => band(b)(r.price)).length })),
    inStock: {
      true: stocked.filter((r) => r.available > 0).length,
      false: stocked.filter((r) => r.available <= 0).length,
    },
  };
  return { ids: but("none" as keyof typeof passes).map((r) => r.id), facets };
}

function queryOf(f: Filters): string {
  const p = new URLSearchParams({ sort: "name" });
  if (f.q) p.set("q", f.q);
  if (f.category) p.set("category", f.category.join(","));
  if (f.price) p.set("price", f.price.join(","));
  if (f.inStock !== undefined) p.set("inStock", String(f.inStock));
  return p.toString();
}

beforeAll(seedCatalog);

describe("GET /products facets", () => {
  it("the seeded catalog has sold-out products and several categories and bands to count", () => {
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(all.filter((r) => r.available <= 0).length).toBeGreaterThan(5);
    expect(new Set(all.map((r) => r.slug)).size).toBeGreaterThanOrEqual(5);
  });

  const cases: [string, Filters][] = [
    ["no filter", {}],
    ["one category", { category: ["kitchen"] }],
    ["two categories", { category: ["kitchen", "books"] }],
    ["a category with nothing left under the other filters", { category: ["kitchen"], price: ["20000-"] }],
    ["price bands", { price: ["0-2000", "5000-10000"] }],
    ["a band that is not a standard one", { price: ["1500-4000"] }],
    ["in stock", { inStock: true }],
    ["sold out", { inStock: false }],
    ["all three", { category: ["kitchen", "home", "outdoor"], price: ["2000-5000", "10000-"], inStock: true }],
    ["search alone", { q: "steel" }],
    ["search and filters", { q: "coffee", category: ["kitchen"], inStock: true }],
    ["search, a band and sold out", { q: "the", price: ["0-2000", "2000-5000"], inStock: false }],
  ];
  for (const [name, filters] of cases) {
    it(`${name}: every page lists exactly the matches, and the counts apply the other filters`, async () => {
      const want = await expected(filters);
      const got = await walk(queryOf(filters));
      expect(got.items.map((p) => p.id).sort()).toEqual([...want.ids].sort());
      expect(new Set(got.items.map((p) => p.id)).size).toBe(got.items.length);
      expect(got.facets).toEqual(want.facets);
    });
  }

  it("a category filter by id counts the same as by slug", async () => {
    const kitchen = all.find((r) => r.slug === "kitchen")?.category_id ?? "";
    const bySlug = await walk("category=kitchen&inStock=true");
    const byId = await walk(`category=${kitchen}&inStock=true`);
    expect(byId).toEqual(bySlug);
  });

  it("ticking one more category widens the list by exactly its count", async () => {
    const one = await walk("category=kitchen&price=0-2000,2000-5000");
    const home = one.facets.category.find((c) => c.value === "home")?.count ?? -1;
    const two = await walk("category=kitchen,home&price=0-2000,2000-5000");
    expect(two.items.length).toBe(one.items.length + home);
  });
});

describe("GET /products facets in the edge cache", () => {
  it("equivalent filter orders share one entry: a hit, no D1 round trip", async () => {
    const first = await call("/products?category=home,kitchen&price=2000-5000,0-2000&inStock=true");
    expect(first.headers.get("x-cache")).toBe("miss");
    const again = await call("/products?inStock=true&price=0-2000,2000-5000&limit=20&category=kitchen,home,kitchen");
    expect(again.headers.get("x-cache")).toBe("hit");
    expect(again.headers.get("server-timing")).toContain('d1;desc="0 round trips"');
    expect(await json(again)).toEqual(await json(first));
  });

  it("an uncached filtered page with its facets is one D1 round trip", async () => {
    const res = await call("/products?q=mug&category=kitchen,outdoor&price=0-2000&inStock=true&sort=price_asc");
    expect(res.headers.get("x-cache")).toBe("miss");
    expect(res.headers.get("server-timing")).toContain('d1;desc="1 round trips"');
  });

  it("different filters are different entries", async () => {
    const a = await json<ProductPage>(await call("/products?category=books&limit=50"));
    const b = await json<ProductPage>(await call("/products?category=books&inStock=false&limit=50"));
    expect(b.items.length).toBe(a.facets.inStock.false);
    expect(a.items.length).toBe(a.facets.inStock.true + a.facets.inStock.false);
  });
});

describe("GET /products bad filters → 400 problem+json naming the field", () => {
  const cases: [string, string][] = [
    ["price=cheap", "price"],
    ["price=5000-2000", "price"],
    ["price=0-2000,1-2-3", "price"],
    ["price=-100", "price"],
    ["price=", "price"],
    [`price=${Array.from({ length: 11 }, (_, i) => `${i}-`).join(",")}`, "price"],
    ["category=kitchen,Not%20A%20Slug", "category"],
    ["category=kitchen,", "category"],
    ["inStock=yes", "inStock"],
    ["inStock=1", "inStock"],
  ];
  for (const [query, field] of cases) {
    it(`${query.slice(0, 60)} names ${field}`, async () => {
      const res = await call(`/products?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = await json<{ errors: { path: string }[] }>(res);
      expect(body.errors.map((e) => e.path)).toEqual([field]);
    });
  }
});

describe("OpenAPI", () => {
  it("documents the filters, the facets and the admin stock listing", async () => {
    const doc = await json<{
      paths: Record<string, { get?: { parameters?: { name: string; schema: Record<string, unknown> }[] } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(await call("/openapi.json"));
    const params = doc.paths["/products"]?.get?.parameters ?? [];
    const byName = Object.fromEntries(params.map((p) => [p.name, p.schema]));
    expect(byName.category).toMatchObject({ type: "string" });
    expect(byName.price).toMatchObject({ type: "string" });
    expect(byName.inStock).toMatchObject({ enum: ["true", "false"] });
    expect(Object.keys(doc.components.schemas.ProductPage?.properties ?? {})).toContain("facets");
    expect(Object.keys(doc.components.schemas.CatalogFacets?.properties ?? {}).sort()).toEqual([
      "category",
      "inStock",
      "price",
    ]);
    expect(doc.paths["/products/inventory"]?.get?.parameters?.map((p) => p.name)).toEqual(["ids"]);
  });
});
