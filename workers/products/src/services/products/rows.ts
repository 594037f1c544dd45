import type { AdminProduct, ProductDetail, ProductSummary } from "@shop/contracts";
import { eq, getTableColumns, sql } from "drizzle-orm";
import type { SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client";
import { categories, inventory, productImages, products } from "../../db/schema";
import { toProductImages } from "../images/rows";

/**
 * What every product read selects: the product, its category's names and its stock (0
 * without a row). Every result column has its own name: in a batch, drizzle's D1 driver
 * reads rows as objects keyed by column name, so a second `name` would overwrite the first.
 */
export const PRODUCT_FIELDS = {
  ...getTableColumns(products),
  categorySlug: sql<string>`${categories.slug}`.as("category_slug"),
  categoryName: sql<string>`${categories.name}`.as("category_name"),
  onHand: sql<number>`COALESCE(${inventory.onHand}, 0)`.as("on_hand"),
  reserved: sql<number>`COALESCE(${inventory.reserved}, 0)`.as("reserved"),
  /** The product's images in display order, as one JSON array: no extra statement per read. */
  imagesJson:
    sql<string>`(SELECT json_group_array(json_object('key', i.r2_key, 'alt', i.alt, 'width', i.width, 'height', i.height)) FROM (SELECT * FROM ${productImages} WHERE ${productImages.productId} = ${products.id} ORDER BY ${productImages.position}, ${productImages.id}) AS i)`.as(
      "images_json",
    ),
};

/**
 * The joins `PRODUCT_FIELDS` reads from, added to a select from `products`. The selection is
 * explicit, so the joins leave the row type as it was (drizzle types them as a new builder).
 */
export function joinProductRelations<Q extends SQLiteSelect>(qb: Q): Q {
  return qb
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(inventory, eq(inventory.productId, products.id)) as unknown as Q;
}

/** Products with their category and stock; callers add `where`, `orderBy`, `limit`. */
export function selectProducts(db: Db) {
  return joinProductRelations(db.select(PRODUCT_FIELDS).from(products).$dynamic());
}

export type ProductRow = Awaited<ReturnType<typeof selectProducts>>[number];

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

export function toDetail(r: ProductRow): ProductDetail {
  return {
    ...toSummary(r),
    category: { id: r.categoryId, slug: r.categorySlug, name: r.categoryName },
    availableQuantity: r.status === "active" ? Math.max(0, r.onHand - r.reserved) : 0,
    version: r.version,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

export function toAdmin(r: ProductRow): AdminProduct {
  return { ...toDetail(r), status: r.status, onHand: r.onHand, reserved: r.reserved };
}
