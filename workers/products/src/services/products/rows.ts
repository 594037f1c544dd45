import type { AdminProduct, ProductDetail, ProductOption, ProductSummary, ProductVariant } from "@shop/contracts";
import { eq, getTableColumns, sql } from "drizzle-orm";
import type { SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client";
import { categories, productImages, products } from "../../db/schema";
import { toProductImages } from "../images/rows";
import { productCurrency, productPrice, variantPrice, variantSoldIn } from "../markets/pricing";

/**
 * A product's stock: the sum over its variants on sale (ADR 0029), 0 without any; in a market,
 * over the variants on sale there (ADR 0032).
 */
const variantStock = (column: "on_hand" | "reserved", market?: string) =>
  sql<number>`(SELECT COALESCE(SUM(i.${sql.raw(column)}), 0) FROM inventory i JOIN product_variants v ON v.id = i.variant_id WHERE i.product_id = ${products.id} AND v.status = 'active' AND ${variantSoldIn(market)})`;

/**
 * What every product read selects: the product, its category's names and its stock (0
 * without a row). Every result column has its own name: in a batch, drizzle's D1 driver
 * reads rows as objects keyed by column name, so a second `name` would overwrite the first.
 */
export const PRODUCT_FIELDS = {
  ...getTableColumns(products),
  categorySlug: sql<string>`${categories.slug}`.as("category_slug"),
  categoryName: sql<string>`${categories.name}`.as("category_name"),
  onHand: variantStock("on_hand").as("on_hand"),
  reserved: variantStock("reserved").as("reserved"),
  /** The product's images in display order, as one JSON array: no extra statement per read. */
  imagesJson:
    sql<string>`(SELECT json_group_array(json_object('key', i.r2_key, 'alt', i.alt, 'width', i.width, 'height', i.height)) FROM (SELECT * FROM ${productImages} WHERE ${productImages.productId} = ${products.id} ORDER BY ${productImages.position}, ${productImages.id}) AS i)`.as(
      "images_json",
    ),
};

/**
 * `PRODUCT_FIELDS` with the price and currency of `market` (ADR 0032); the columns themselves
 * for the default market named by no one (admin reads, and every read before markets).
 */
export function productFields(market: string | undefined) {
  if (market === undefined) return PRODUCT_FIELDS;
  return {
    ...PRODUCT_FIELDS,
    priceAmount: productPrice(market).as("market_price"),
    currency: productCurrency(market).as("market_currency"),
    onHand: variantStock("on_hand", market).as("on_hand"),
    reserved: variantStock("reserved", market).as("reserved"),
  } as unknown as typeof PRODUCT_FIELDS;
}

/**
 * The joins `PRODUCT_FIELDS` reads from, added to a select from `products`. The selection is
 * explicit, so the joins leave the row type as it was (drizzle types them as a new builder).
 */
export function joinProductRelations<Q extends SQLiteSelect>(qb: Q): Q {
  return qb.innerJoin(categories, eq(categories.id, products.categoryId)) as unknown as Q;
}

/**
 * The product's variants on sale in the market in display order, each with its price there and
 * its units to buy, as one JSON array (a variant without a price in the market is left out).
 */
const variantsJson = (market: string | undefined) =>
  sql<string>`(SELECT json_group_array(json_object('id', v.id, 'sku', v.sku, 'options', json(v.options), 'price', v.price, 'units', v.units)) FROM (SELECT pv.id, pv.sku, pv.options, ${variantPrice(market, "pv")} AS price, COALESCE(i.on_hand - i.reserved, 0) AS units FROM product_variants pv LEFT JOIN inventory i ON i.variant_id = pv.id WHERE pv.product_id = ${products.id} AND pv.status = 'active' ORDER BY pv.position, pv.id) AS v WHERE v.price IS NOT NULL)`.as(
    "variants_json",
  );

/**
 * Products with their category, stock and variants (one product's page), priced in `market`
 * (default: the default market); callers add `where`.
 */
export function selectProducts(db: Db, market?: string) {
  return joinProductRelations(
    db
      .select({ ...productFields(market), variantsJson: variantsJson(market) })
      .from(products)
      .$dynamic(),
  );
}

/** A product page's row; a listing's rows are the same without the variants. */
export type ProductDetailRow = Awaited<ReturnType<typeof selectProducts>>[number];
export type ProductRow = Omit<ProductDetailRow, "variantsJson">;

export function toSummary(r: ProductRow): ProductSummary {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    categoryId: r.categoryId,
    price: { amount: r.priceAmount, currency: r.currency },
    attributes: JSON.parse(r.attributes) as ProductSummary["attributes"],
    imageUrls: JSON.parse(r.imageUrls) as string[],
    images: toProductImages(r.imagesJson),
    available: r.status === "active" && r.onHand - r.reserved > 0,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

type VariantJson = { id: string; sku: string; options: Record<string, string>; price: number; units: number };

export function toVariants(r: Pick<ProductDetailRow, "variantsJson" | "currency" | "status">): ProductVariant[] {
  return (JSON.parse(r.variantsJson) as VariantJson[]).map((v) => ({
    id: v.id,
    sku: v.sku,
    options: v.options,
    price: { amount: v.price, currency: r.currency },
    available: r.status === "active" && v.units > 0,
  }));
}

export function toDetail(r: ProductDetailRow): ProductDetail {
  return {
    ...toSummary(r),
    options: JSON.parse(r.options) as ProductOption[],
    variants: toVariants(r),
    category: { id: r.categoryId, slug: r.categorySlug, name: r.categoryName },
    availableQuantity: r.status === "active" ? Math.max(0, r.onHand - r.reserved) : 0,
    version: r.version,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

export function toAdmin(r: ProductDetailRow): AdminProduct {
  return { ...toDetail(r), status: r.status, taxClass: r.taxClass, onHand: r.onHand, reserved: r.reserved };
}
