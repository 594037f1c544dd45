import type { Currency } from "@shop/contracts";
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Times are epoch milliseconds (integers): cheap to compare and to sort on. */
export const categories = sqliteTable("categories", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    sku: text("sku").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    categoryId: text("category_id")
      .notNull()
      .references(() => categories.id),
    priceAmount: integer("price_amount").notNull(),
    currency: text("currency").$type<Currency>().notNull(),
    /** JSON object of string → string | number | boolean. */
    attributes: text("attributes").notNull().default("{}"),
    /** JSON array of URLs. */
    imageUrls: text("image_urls").notNull().default("[]"),
    status: text("status", { enum: ["active", "archived"] })
      .notNull()
      .default("active"),
    /**
     * JSON array of `{ name, values }`: the options (size, colour…) in display order, `[]` for a
     * simple product. Each variant carries one value of each (ADR 0029).
     */
    options: text("options").notNull().default("[]"),
    /** How its lines are taxed (ADR 0028): the rate of this class in the shopper's jurisdiction. */
    taxClass: text("tax_class", { enum: ["standard", "reduced", "zero"] })
      .notNull()
      .default("standard"),
    /** Optimistic concurrency: bumped by every admin write; `If-Match` compares against it. */
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    check("products_price_nonnegative", sql`${t.priceAmount} >= 0`),
    check("products_status_known", sql`${t.status} IN ('active', 'archived')`),
    check("products_tax_class_known", sql`${t.taxClass} IN ('standard', 'reduced', 'zero')`),
    index("products_category_price").on(t.categoryId, t.priceAmount),
    index("products_status_created").on(t.status, t.createdAt),
    index("products_status_price").on(t.status, t.priceAmount),
    index("products_status_name").on(t.status, t.name),
  ],
);

/**
 * Uploaded images (ADR 0025). The bytes live in R2 under `r2_key`, which carries the content
 * hash, so the public URL of a key always means the same bytes. At most 10 per product and
 * positions 0..n-1 are kept by the services; the count is also guarded by a trigger.
 */
export const productImages = sqliteTable(
  "product_images",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    position: integer("position").notNull(),
    r2Key: text("r2_key").notNull().unique(),
    /** SHA-256 of the bytes, hex: the ETag, and (its first 16 characters) part of the key. */
    sha256: text("sha256").notNull(),
    contentType: text("content_type", { enum: ["image/jpeg", "image/png", "image/webp"] }).notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    alt: text("alt").notNull().default(""),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("product_images_product_position").on(t.productId, t.position),
    check("product_images_position_nonnegative", sql`${t.position} >= 0`),
    check("product_images_type_known", sql`${t.contentType} IN ('image/jpeg', 'image/png', 'image/webp')`),
    check("product_images_bytes_bounded", sql`${t.bytes} > 0 AND ${t.bytes} <= 5242880`),
  ],
);

/**
 * One combination of a product's option values that exists, with its own SKU, price, status and
 * stock row (ADR 0029). Every product has a default variant whose id is the product's under the
 * `var_` prefix (a trigger creates it with the product); a simple product has only it, with no
 * option values, and triggers keep its SKU and price those of the product.
 */
export const productVariants = sqliteTable(
  "product_variants",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    sku: text("sku").notNull().unique(),
    /** JSON object option name → value (`{}` for a simple product's variant). */
    options: text("options").notNull().default("{}"),
    /** The values in the product's option order, joined: unique per product ('' for no options). */
    optionKey: text("option_key").notNull().default(""),
    priceAmount: integer("price_amount").notNull(),
    status: text("status", { enum: ["active", "archived"] })
      .notNull()
      .default("active"),
    position: integer("position").notNull().default(0),
    /**
     * Grams per unit, for weight-based shipping (ADR 0033). NULL: the product's default
     * variant's weight, and when that is NULL too, the checkout's default unit weight.
     */
    weightGrams: integer("weight_grams"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("product_variants_product_options").on(t.productId, t.optionKey),
    index("product_variants_product_position").on(t.productId, t.position),
    check("product_variants_price_nonnegative", sql`${t.priceAmount} >= 0`),
    check("product_variants_status_known", sql`${t.status} IN ('active', 'archived')`),
    check("product_variants_weight_nonnegative", sql`${t.weightGrams} IS NULL OR ${t.weightGrams} >= 0`),
  ],
);

/**
 * The stock invariant lives here, in the database: 0 ≤ reserved ≤ on_hand, always — per variant.
 * A row written with a product id alone (no `variant_id`, as releases before variants write it)
 * is given the product's default variant by a trigger.
 */
export const inventory = sqliteTable(
  "inventory",
  {
    variantId: text("variant_id").primaryKey().default(""),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("inventory_product").on(t.productId),
    check("inventory_stock_invariant", sql`${t.reserved} >= 0 AND ${t.reserved} <= ${t.onHand} AND ${t.onHand} >= 0`),
  ],
);

/**
 * One row per (order, variant). `hold_id` identifies the reserve call that created the
 * rows, so a second call for the same order is refused by a trigger (idempotency by order).
 * A row written without `variant_id` (a release before variants) holds the default variant.
 */
export const reservations = sqliteTable(
  "reservations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    holdId: text("hold_id").notNull(),
    orderId: text("order_id").notNull(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    variantId: text("variant_id").notNull().default(""),
    quantity: integer("quantity").notNull(),
    expiresAt: integer("expires_at").notNull(),
    state: text("state", { enum: ["active", "committed", "released", "expired", "restocked"] })
      .notNull()
      .default("active"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("reservations_order_variant").on(t.orderId, t.variantId),
    index("reservations_state_expiry").on(t.state, t.expiresAt),
    check("reservations_quantity_positive", sql`${t.quantity} > 0`),
    check("reservations_state_known", sql`${t.state} IN ('active', 'committed', 'released', 'expired', 'restocked')`),
  ],
);

/**
 * A single row whose `version` goes up in the same batch as every write that changes what
 * a shopper sees (admin writes, stock moves). Edge-cache keys embed it, so a write
 * invalidates every cached page at once. `stamp` changes with it so keys never repeat,
 * even if the database is recreated.
 */
export const catalogState = sqliteTable(
  "catalog_state",
  {
    id: integer("id").primaryKey(),
    version: integer("version").notNull(),
    stamp: text("stamp").notNull(),
  },
  (t) => [check("catalog_state_single_row", sql`${t.id} = 1`)],
);

/**
 * Units a customer sent back (orders' returns, ADR 0034), one row per (return, variant). The
 * key makes `restockReturn` idempotent: a repeat inserts nothing, so `on_hand` grows once.
 * `applied_by` names the call whose insert won; only that call adds to `on_hand`.
 */
export const stockReturns = sqliteTable(
  "stock_returns",
  {
    returnId: text("return_id").notNull(),
    variantId: text("variant_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
    appliedBy: text("applied_by").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.returnId, t.variantId] }),
    check("stock_returns_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/**
 * Where the shop sells and in which currency (ADR 0032): a market is a set of countries (ISO
 * 3166-1 alpha-2, upper case, as JSON) with one currency. Exactly one market is the default
 * (the index below allows one row with `is_default = 1`): it prices in the variants' own
 * `price_amount`, and it serves every country no other market names.
 */
export const markets = sqliteTable(
  "markets",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    currency: text("currency").$type<Currency>().notNull(),
    /** JSON array of country codes. */
    countries: text("countries").notNull().default("[]"),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("markets_one_default").on(t.isDefault).where(sql`${t.isDefault} = 1`),
    check("markets_code_format", sql`length(${t.code}) BETWEEN 2 AND 8 AND ${t.code} NOT GLOB '*[^a-z0-9]*'`),
  ],
);

/**
 * A variant's price in a market other than the default one, in that market's currency, set by
 * an admin (never converted on the fly). A variant without a row here is not sold in that market.
 */
export const variantPrices = sqliteTable(
  "variant_prices",
  {
    variantId: text("variant_id")
      .notNull()
      .references(() => productVariants.id),
    market: text("market")
      .notNull()
      .references(() => markets.code),
    amount: integer("amount").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.variantId, t.market] }),
    index("variant_prices_market").on(t.market, t.variantId),
    check("variant_prices_amount_nonnegative", sql`${t.amount} >= 0`),
  ],
);

/**
 * A product's price in each non-default market (ADR 0032, 0036): the default variant's price
 * there, else the cheapest variant on sale priced there; no row when no variant on sale has a
 * price in the market (the product is not sold there). Derived, never written by the app:
 * triggers on `variant_prices` and `product_variants` (migration 0008) keep it in step in the
 * writing statement's own transaction, so catalog reads filter, sort and count by a key lookup.
 */
export const productMarketPrices = sqliteTable(
  "product_market_prices",
  {
    productId: text("product_id").notNull(),
    market: text("market").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.market] }),
    index("product_market_prices_market_amount").on(t.market, t.amount),
  ],
);
