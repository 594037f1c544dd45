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

/**
 * Grams per unit by category, for weight-based shipping (ADR 0033): every seeded variant gets
 * its category's weight. Books are sold at the reduced tax rate (ADR 0028); the rest, standard.
 */
const SEEDED_WEIGHT_GRAMS = { kitchen: 900, home: 1200, outdoor: 1500, books: 450, electronics: 600, apparel: 200 };
const REDUCED_RATE_CATEGORIES = new Set(["books"]);

/** [category slug, name, description, price in cents, stock, attributes], one a product: the demo catalog's data. */
const products = JSON.parse(readFileSync(new URL("./catalog.json", import.meta.url), "utf8"));

const SIZES = ["XS", "S", "M", "L", "XL", "XXL"];

/**
 * Options of the products that come in sizes and colours (ADR 0029), by product name: every
 * combination is a variant except those `missing` names, in size-then-colour order. The first
 * combination is the product's default variant (it keeps the catalog's stock); the others get a
 * share of it, and every eleventh is sold out, so the picker has something to disable.
 */
const VARIANTS = {
  "Organic Cotton T-Shirt": {
    options: [
      { name: "size", values: SIZES },
      { name: "colour", values: ["Black", "White", "Navy", "Olive", "Sand", "Red"] },
    ],
    missing: ["XXL/Sand"],
    surcharge: { XXL: 300 },
  },
  "Merino Beanie": { options: [{ name: "colour", values: ["Charcoal", "Navy", "Mustard", "Forest", "Cream"] }] },
  "Rain Jacket": {
    options: [
      { name: "size", values: SIZES },
      { name: "colour", values: ["Black", "Navy", "Yellow", "Red"] },
    ],
    missing: ["XS/Yellow"],
    surcharge: { XXL: 1000 },
  },
  "Canvas Tote Bag": { options: [{ name: "colour", values: ["Natural", "Black", "Olive"] }] },
  "Leather Belt": {
    options: [
      { name: "size", values: ["S", "M", "L", "XL", "XXL"] },
      { name: "colour", values: ["Brown", "Black"] },
    ],
  },
  "Denim Jeans": {
    options: [
      { name: "waist", values: ["28", "30", "32", "34", "36", "38"] },
      { name: "colour", values: ["Indigo", "Black", "Stone"] },
    ],
    missing: ["38/Stone"],
  },
  "Wool Scarf": { options: [{ name: "colour", values: ["Grey", "Camel", "Navy", "Burgundy"] }] },
  "Running Shorts": {
    options: [
      { name: "size", values: ["XS", "S", "M", "L", "XL"] },
      { name: "colour", values: ["Black", "Navy", "Teal", "Coral"] },
    ],
    missing: ["XS/Coral"],
  },
};

/** Every combination of the options' values, first option outermost. */
function combinations(options) {
  return options.reduce((acc, o) => acc.flatMap((c) => o.values.map((v) => [...c, v])), [[]]);
}

/** The default variant's id: the product's, under the variant prefix (as contracts' defaultVariantId). */
export const defaultVariantId = (productId) => `var_${productId.slice(4)}`;

/**
 * The variants of one seeded product, in display order: `{ id, sku, options, key, price, stock }`.
 * The first is the default variant. A product without options has only it.
 */
export function seededVariants(n, productId, sku, name, price, stock) {
  const spec = VARIANTS[name];
  if (!spec) return [{ id: defaultVariantId(productId), sku, options: {}, key: "", price, stock }];
  const missing = new Set(spec.missing ?? []);
  const share = Math.max(3, Math.round(stock / 10));
  return combinations(spec.options)
    .filter((values) => !missing.has(values.join("/")))
    .map((values, k) => ({
      id: k === 0 ? defaultVariantId(productId) : id("var", n * 1000 + k),
      sku: `${sku}-${values.map((v) => v.toUpperCase().replace(/[^A-Z0-9]/g, "")).join("-")}`,
      options: Object.fromEntries(spec.options.map((o, i) => [o.name, values[i]])),
      key: JSON.stringify(values),
      price: price + (spec.surcharge?.[values[0]] ?? 0),
      stock: k === 0 ? stock : k % 11 === 7 ? 0 : share,
    }));
}

export const seededOptions = (name) => VARIANTS[name]?.options ?? [];

/**
 * Names the catalog once shipped that a shopper must not meet: a state seeded before keeps its
 * rows (INSERT OR IGNORE), so the seed renames them to what `products` now says.
 */
const RETIRED_NAMES = new Map([[10, '<script>alert("xss")</script> Novelty Mug']]);

/**
 * The markets beside the default one (`us`, USD, which the migration creates), ADR 0032. Prices
 * there are set per variant like an admin would, rounded to .99 from a fixed rate: plausible
 * shelf prices, not a live conversion.
 */
export const SEEDED_MARKETS = [
  {
    code: "eu",
    name: "Euro area",
    currency: "EUR",
    rate: 0.95,
    countries: [
      "AT",
      "BE",
      "BG",
      "CY",
      "DE",
      "EE",
      "ES",
      "FI",
      "FR",
      "GR",
      "HR",
      "IE",
      "IT",
      "LT",
      "LU",
      "LV",
      "MT",
      "NL",
      "PT",
      "SI",
      "SK",
    ],
  },
  { code: "gb", name: "United Kingdom", currency: "GBP", rate: 0.8, countries: ["GB"] },
];

/** A variant's seeded price in a market, from its USD price: whole units less a cent, at least 0.99. */
export const seededMarketPrice = (usd, rate) => Math.max(99, Math.round((usd * rate) / 100) * 100 - 1);

export function seedSql() {
  const lines = ["-- Demo catalog for products (idempotent)."];
  SEEDED_MARKETS.forEach((m, i) => {
    lines.push(
      `INSERT OR IGNORE INTO markets (code, name, currency, countries, is_default, position, created_at, updated_at) VALUES (${q(m.code)}, ${q(m.name)}, ${q(m.currency)}, ${q(JSON.stringify(m.countries))}, 0, ${i + 1}, ${BASE_TIME}, ${BASE_TIME});`,
    );
  });
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
    );
    // The product's insert made its default variant (a trigger); options and the other variants follow.
    const options = seededOptions(name);
    const variants = seededVariants(n, productId, sku, name, price, stock);
    if (options.length > 0) {
      lines.push(
        `UPDATE products SET options = ${q(JSON.stringify(options))} WHERE id = ${q(productId)} AND options = '[]';`,
      );
    }
    variants.forEach((v, k) => {
      if (k === 0 && options.length > 0) {
        lines.push(
          `UPDATE product_variants SET sku = ${q(v.sku)}, options = ${q(JSON.stringify(v.options))}, option_key = ${q(v.key)} WHERE id = ${q(v.id)} AND option_key = '';`,
        );
      } else if (k > 0) {
        lines.push(
          `INSERT OR IGNORE INTO product_variants (id, product_id, sku, options, option_key, price_amount, status, position, created_at, updated_at) VALUES (${q(v.id)}, ${q(productId)}, ${q(v.sku)}, ${q(JSON.stringify(v.options))}, ${q(v.key)}, ${v.price}, 'active', ${k}, ${at}, ${at});`,
        );
      }
      lines.push(
        `INSERT OR IGNORE INTO inventory (variant_id, product_id, on_hand, reserved, updated_at) VALUES (${q(v.id)}, ${q(productId)}, ${v.stock}, 0, ${at});`,
      );
      for (const m of SEEDED_MARKETS) {
        lines.push(
          `INSERT OR IGNORE INTO variant_prices (variant_id, market, amount, updated_at) VALUES (${q(v.id)}, ${q(m.code)}, ${seededMarketPrice(v.price, m.rate)}, ${at});`,
        );
      }
    });
    // Only rows still at the migration's defaults: a re-run keeps what an admin set since.
    lines.push(
      `UPDATE product_variants SET weight_grams = ${SEEDED_WEIGHT_GRAMS[slug]} WHERE product_id = ${q(productId)} AND weight_grams IS NULL;`,
    );
    if (REDUCED_RATE_CATEGORIES.has(slug)) {
      lines.push(`UPDATE products SET tax_class = 'reduced' WHERE id = ${q(productId)} AND tax_class = 'standard';`);
    }
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
