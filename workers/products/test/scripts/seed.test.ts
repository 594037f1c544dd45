import { env } from "cloudflare:test";
import type { ProductDetail, ProductPage, ProductSummary } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { call, json } from "../http";

const CAMPING_MUG = "prd_01jdseed000000000000000010";
const OLD_NAME = '<script>alert("xss")</script> Novelty Mug';

/** The SQL printed by scripts/seed.mjs, as `npm start` runs it. */
async function seed() {
  const statements = env.TEST_SEED_SQL.split("\n").filter((s) => s && !s.startsWith("--"));
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

async function everything(): Promise<ProductSummary[]> {
  const res = await call("/products?limit=100&sort=name");
  expect(res.status).toBe(200);
  return (await json<ProductPage>(res)).items;
}

/** Markup, script and event-handler text: what belongs in tests, never in the shop's window. */
const HOSTILE = /[<>]|script|alert\(|onerror|javascript:/i;

describe("scripts/seed.mjs", () => {
  it("seeds an ordinary catalog: no markup or script text in any name or description", async () => {
    await seed();
    const rows = await env.DB.prepare("SELECT name, description FROM products").all<{
      name: string;
      description: string;
    }>();
    expect(rows.results.length).toBeGreaterThanOrEqual(50);
    for (const r of rows.results) {
      expect(r.name).not.toMatch(HOSTILE);
      expect(r.description).not.toMatch(HOSTILE);
    }
    const categories = await env.DB.prepare("SELECT name FROM categories").all<{ name: string }>();
    for (const c of categories.results) expect(c.name).not.toMatch(HOSTILE);
  });

  it("weighs every variant by its category and sells books at the reduced rate", async () => {
    await seed();
    const rows = await env.DB.prepare(
      `SELECT c.slug, p.tax_class AS taxClass, MIN(v.weight_grams) AS lightest, MAX(v.weight_grams) AS heaviest,
              SUM(v.weight_grams IS NULL) AS unweighed
       FROM product_variants v JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id
       WHERE p.id LIKE 'prd_01jdseed%' GROUP BY c.slug, p.tax_class ORDER BY c.slug`,
    ).all<{ slug: string; taxClass: string; lightest: number; heaviest: number; unweighed: number }>();
    expect(rows.results.map((r) => [r.slug, r.taxClass])).toEqual([
      ["apparel", "standard"],
      ["books", "reduced"],
      ["electronics", "standard"],
      ["home", "standard"],
      ["kitchen", "standard"],
      ["outdoor", "standard"],
    ]);
    for (const r of rows.results) {
      expect(r.unweighed, r.slug).toBe(0);
      expect(r.lightest, r.slug).toBe(r.heaviest);
    }
    expect(rows.results.find((r) => r.slug === "apparel")?.lightest).toBe(200);
  });

  it("seeds a few images in order, with alt text, and seeding twice adds none", async () => {
    await seed();
    await seed();
    const mug = await json<ProductSummary & { images: { url: string; alt: string }[] }>(
      await call("/products/prd_01jdseed000000000000000001"),
    );
    expect(mug.images).toHaveLength(3);
    for (const image of mug.images) {
      expect(image.url).toMatch(/^\/images\/prd_01jdseed000000000000000001\/img_01jdseed0{15}\d{3}-[0-9a-f]{16}\.png$/);
      expect(image.alt).not.toBe("");
    }
    const rows = await env.DB.prepare("SELECT product_id, COUNT(*) AS n FROM product_images GROUP BY product_id").all<{
      n: number;
    }>();
    const total = rows.results.reduce((sum, r) => sum + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(5);
    expect(total).toBeLessThanOrEqual(10);
  });

  it("gives apparel sizes and colours: at least 150 variants, each with its stock row, and seeding twice adds none", async () => {
    await seed();
    await seed();
    const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())?.n;
    expect(await count("SELECT COUNT(*) AS n FROM product_variants")).toBeGreaterThanOrEqual(150);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM product_variants v LEFT JOIN inventory i ON i.variant_id = v.id WHERE i.variant_id IS NULL",
      ),
    ).toBe(0);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id)",
      ),
    ).toBe(0);
    const page = await json<ProductPage>(await call("/products?q=t-shirt"));
    const tee = await json<ProductDetail>(await call(`/products/${page.items[0]?.id}`));
    expect(tee.options.map((o) => o.name)).toEqual(["size", "colour"]);
    expect(tee.variants.length).toBeGreaterThan(20);
    expect(tee.variants.some((v) => !v.available)).toBe(true);
    expect(new Set(tee.variants.map((v) => v.sku)).size).toBe(tee.variants.length);
  });

  it("a shopper searching for a mug finds ordinary mugs", async () => {
    await seed();
    const res = await call("/products?q=mug");
    expect(res.status).toBe(200);
    const names = (await json<ProductPage>(res)).items.map((p) => p.name).sort();
    expect(names).toEqual(["Enamel Camping Mug", "Stoneware Mug"]);
  });

  it("renames the product an older seed shipped with markup in its name", async () => {
    // A state seeded by the older script: the same row, under the old name.
    await seed();
    await env.DB.prepare(
      `UPDATE products SET name = ?2, description = 'A mug whose name tests escaping.', attributes = '{"novelty":true}' WHERE id = ?1`,
    )
      .bind(CAMPING_MUG, OLD_NAME)
      .run();
    await seed();
    const row = await env.DB.prepare("SELECT name, attributes FROM products WHERE id = ?1")
      .bind(CAMPING_MUG)
      .first<{ name: string; attributes: string }>();
    expect(row).toEqual({ name: "Enamel Camping Mug", attributes: '{"capacityMl":400}' });
    // The search index follows the rename.
    const found = await call("/products?q=novelty");
    expect((await json<ProductPage>(found)).items).toEqual([]);
  });

  it("is idempotent: running it again changes nothing a shopper sees", async () => {
    await seed();
    const before = await everything();
    await seed();
    expect(await everything()).toEqual(before);
  });
});
