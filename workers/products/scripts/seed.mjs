#!/usr/bin/env node
/**
 * Prints idempotent SQL for the demo catalog (run by the start script with
 * `wrangler d1 execute products --local --file=-`-style plumbing). Fixed ids, so the e2e
 * suite can rely on them; INSERT OR IGNORE, so running it twice changes nothing. The FTS
 * index fills itself through the products triggers.
 *
 *   node workers/products/scripts/seed.mjs > /tmp/products-seed.sql
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { seedImages } from "./seed-images.mjs";

/** `<prefix>_` + 26 Crockford base32 characters (lower case), as in contracts/ids.ts. */
const id = (prefix, n) => `${prefix}_01jdseed${String(n).padStart(18, "0")}`;
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

const BASE_TIME = Date.UTC(2026, 0, 1);

const categories = [
  ["kitchen", "Kitchen"],
  ["home", "Home & Living"],
  ["outdoor", "Outdoor"],
  ["books", "Books"],
  ["electronics", "Electronics"],
  ["apparel", "Apparel"],
];

/** [category slug, name, description, price in cents, stock, attributes], one a product: the demo catalog's data. */
const products = JSON.parse(readFileSync(new URL("./catalog.json", import.meta.url), "utf8"));

/**
 * Names the catalog once shipped that a shopper must not meet: a state seeded before keeps its
 * rows (INSERT OR IGNORE), so the seed renames them to what `products` now says.
 */
const RETIRED_NAMES = new Map([[10, '<script>alert("xss")</script> Novelty Mug']]);

export function seedSql() {
  const lines = ["-- Demo catalog for products (idempotent)."];
  categories.forEach(([slug, name], i) => {
    lines.push(
      `INSERT OR IGNORE INTO categories (id, slug, name, created_at) VALUES (${q(id("cat", i + 1))}, ${q(slug)}, ${q(name)}, ${BASE_TIME});`,
    );
  });
  const categoryId = new Map(categories.map(([slug], i) => [slug, id("cat", i + 1)]));
  products.forEach(([slug, name, description, price, stock, attributes], i) => {
    const n = i + 1;
    const productId = id("prd", n);
    const sku = `DEMO-${slug.slice(0, 3).toUpperCase()}-${String(n).padStart(3, "0")}`;
    const at = BASE_TIME + n * 60_000;
    lines.push(
      `INSERT OR IGNORE INTO products (id, sku, name, description, category_id, price_amount, currency, attributes, image_urls, status, version, created_at, updated_at) VALUES (${q(productId)}, ${q(sku)}, ${q(name)}, ${q(description)}, ${q(categoryId.get(slug))}, ${price}, 'USD', ${q(JSON.stringify(attributes))}, '[]', 'active', 1, ${at}, ${at});`,
      `INSERT OR IGNORE INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (${q(productId)}, ${stock}, 0, ${at});`,
    );
    const retired = RETIRED_NAMES.get(n);
    if (retired) {
      lines.push(
        `UPDATE products SET name = ${q(name)}, description = ${q(description)}, attributes = ${q(JSON.stringify(attributes))}, version = version + 1 WHERE id = ${q(productId)} AND name = ${q(retired)};`,
      );
    }
  });
  // Image rows; their bytes go to the local bucket through seed-r2.mjs.
  for (const img of seedImages()) {
    lines.push(
      `INSERT OR IGNORE INTO product_images (id, product_id, position, r2_key, sha256, content_type, bytes, width, height, alt, created_at) VALUES (${q(img.id)}, ${q(img.productId)}, ${img.position}, ${q(img.key)}, ${q(img.sha256)}, 'image/png', ${img.bytes.length}, ${img.width}, ${img.height}, ${q(img.alt)}, ${BASE_TIME});`,
    );
  }
  // Whatever the seed changed, cached catalog pages must not outlive it.
  lines.push("UPDATE catalog_state SET version = version + 1, stamp = lower(hex(randomblob(8))) WHERE id = 1;");
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(seedSql());
}
