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

type Filters = {
  q?: string;
  category?: string[];
  price?: string[];
  inStock?: boolean;
  option?: Record<string, string[]>;
};

/** An active variant: its product, option values and units on sale. */
type VariantRow = { product_id: string; options: Record<string, string>; available: number };

let all: Row[];
let variants: VariantRow[];

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
  const vs = await env.DB.prepare(
    `SELECT v.product_id, v.options, COALESCE(i.on_hand - i.reserved, 0) AS available
       FROM product_variants v LEFT JOIN inventory i ON i.variant_id = v.id WHERE v.status = 'active'`,
  ).all<{ product_id: string; options: string; available: number }>();
  variants = vs.results.map((v) => ({ ...v, options: JSON.parse(v.options) as Record<string, string> }));
}

/** Whether product `r` passes option filters `opts` and the in-stock filter, one variant answering both. */
function variantMatch(r: Row, opts: Record<string, string[]>, inStock: boolean | undefined): boolean {
  if (Object.keys(opts).length === 0) return inStock === undefined || r.available > 0 === inStock;
  const matching = variants.filter(
    (v) => v.product_id === r.id && Object.entries(opts).every(([n, vals]) => vals.includes(v.options[n] as string)),
  );
  if (matching.length === 0) return false;
  const stocked = matching.some((v) => v.available > 0);
  return inStock === undefined || stocked === inStock;
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
    option: (r: Row) => !f.option || variantMatch(r, f.option, undefined),
    inStock: (r: Row) => variantMatch(r, f.option ?? {}, f.inStock),
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
    // With option filters, "in stock" is a matching variant's stock (size M in stock).
    inStock: {
      true: stocked.filter((r) => variantMatch(r, f.option ?? {}, true)).length,
      false: stocked.filter((r) => variantMatch(r, f.option ?? {}, false)).length,
    },
    options: [],
  };
  // Option values: each name's counts apply every filter but its own; the stock filter asks the
  // same variant. Values with no match are left out unless named.
  const products = all.filter((r) => passes.q(r) && passes.category(r) && passes.price(r));
  const ids = new Set(products.map((r) => r.id));
  const names = new Map<string, Set<string>>();
  for (const v of variants.filter((v) => ids.has(v.product_id)))
    for (const [n, x] of Object.entries(v.options)) names.set(n, (names.get(n) ?? new Set()).add(x));
  for (const [n, xs] of Object.entries(f.option ?? {}))
    for (const x of xs) names.set(n, (names.get(n) ?? new Set()).add(x));
  facets.options = [...names.entries()].map(([name, values]) => ({
    name,
    values: [...values]
      .map((value) => ({
        value,
        count: products.filter((r) => variantMatch(r, { ...f.option, [name]: [value] }, f.inStock)).length,
      }))
      .filter((v) => v.count > 0 || f.option?.[name]?.includes(v.value)),
  }));
  return { ids: but("none" as keyof typeof passes).map((r) => r.id), facets };
}

/** Option facets in a comparable form: names and values sorted (their order is tested on its own). */
const sortedOptions = (o: CatalogFacets["options"]) =>
  o
    .map((n) => ({ name: n.name, values: [...n.values].sort((a, b) => (a.value < b.value ? -1 : 1)) }))
    .filter((n) => n.values.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : 1));

function queryOf(f: Filters): string {
  const p = new URLSearchParams({ sort: "name" });
  if (f.q) p.set("q", f.q);
  if (f.category) p.set("category", f.category.join(","));
  if (f.price) p.set("price", f.price.join(","));
  if (f.inStock !== undefined) p.set("inStock", String(f.inStock));
  if (f.option)
    p.set(
      "option",
      Object.entries(f.option)
        .flatMap(([n, vs]) => vs.map((v) => `${n}:${v}`))
        .join(","),
    );
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
    ["one size", { option: { size: ["M"] } }],
    ["two sizes and a colour", { option: { size: ["M", "XXL"], colour: ["Navy"] } }],
    ["a size in stock", { option: { size: ["XS"] }, inStock: true }],
    ["a colour sold out", { option: { colour: ["Black", "Red"] }, inStock: false }],
    [
      "options with a category and a band",
      { option: { colour: ["Navy", "Black"] }, category: ["apparel"], price: ["2000-5000", "5000-10000"] },
    ],
    ["a combination that does not exist", { option: { size: ["XXL"], colour: ["Sand"] } }],
    ["a value nothing has, named", { option: { colour: ["Mauve"] }, inStock: true }],
    ["search and an option", { q: "cotton", option: { size: ["L"] } }],
  ];
  for (const [name, filters] of cases) {
    it(`${name}: every page lists exactly the matches, and the counts apply the other filters`, async () => {
      const want = await expected(filters);
      const got = await walk(queryOf(filters));
      expect(got.items.map((p) => p.id).sort()).toEqual([...want.ids].sort());
      expect(new Set(got.items.map((p) => p.id)).size).toBe(got.items.length);
      const { options: gotOptions, ...gotRest } = got.facets;
      const { options: wantOptions, ...wantRest } = want.facets;
      expect(gotRest).toEqual(wantRest);
      expect(sortedOptions(gotOptions)).toEqual(sortedOptions(wantOptions));
    });
  }

  it("the seed gives option facets with sold-out variants to filter on", () => {
    expect(new Set(variants.flatMap((v) => Object.keys(v.options)))).toEqual(new Set(["size", "colour", "waist"]));
    expect(variants.filter((v) => Object.keys(v.options).length > 0 && v.available <= 0).length).toBeGreaterThan(3);
  });

  it("option names and values come in the products' display order", async () => {
    const { facets } = await walk("sort=name");
    const size = facets.options.find((o) => o.name === "size");
    expect(size?.values.map((v) => v.value)).toEqual(["XS", "S", "M", "L", "XL", "XXL"]);
    expect(facets.options.map((o) => o.name).indexOf("size")).toBeLessThan(
      facets.options.map((o) => o.name).indexOf("colour"),
    );
  });

  it("ticking one more size widens the list by exactly its count", async () => {
    const one = await walk("option=size:M&inStock=true");
    const xxl = one.facets.options.find((o) => o.name === "size")?.values.find((v) => v.value === "XXL")?.count ?? -1;
    const two = await walk("option=size:M,size:XXL&inStock=true");
    const onlyXxl = await walk("option=size:XXL&inStock=true");
    const both = one.items.filter((p) => onlyXxl.items.some((q) => q.id === p.id)).length;
    expect(xxl).toBe(onlyXxl.items.length);
    expect(two.items.length).toBe(one.items.length + xxl - both);
  });

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

  it("option filters in any order share one entry too", async () => {
    const first = await call("/products?option=size:M,colour:Navy,size:L&inStock=true");
    expect(first.headers.get("x-cache")).toBe("miss");
    expect(first.headers.get("server-timing")).toContain('d1;desc="1 round trips"');
    const again = await call("/products?inStock=true&option=colour:Navy,size:L,size:M,size:%20M");
    expect(again.headers.get("x-cache")).toBe("hit");
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
    ["option=size", "option"],
    ["option=size:", "option"],
    ["option=:M", "option"],
    ["option=size:M,colour", "option"],
    [`option=size:${"x".repeat(41)}`, "option"],
    [`option=${Array.from({ length: 31 }, (_, i) => `size:${i}`).join(",")}`, "option"],
    ["option.size=M", "option.size"],
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
      "options",
      "price",
    ]);
    expect(byName.option).toMatchObject({ type: "string" });
    expect(doc.paths["/products/inventory"]?.get?.parameters?.map((p) => p.name)).toEqual(["ids"]);
  });
});
