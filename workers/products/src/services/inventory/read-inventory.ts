import type { Inventory } from "@shop/contracts";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inventory, productVariants } from "../../db/schema";

type InventoryRow = { productId: string; variantId?: string; onHand: number; reserved: number };

/** Stock summed over a product's variants on sale (ADR 0029); named so a batch keeps the columns apart. */
export const PRODUCT_STOCK = {
  productId: inventory.productId,
  onHand: sql<number>`COALESCE(SUM(CASE WHEN ${productVariants.status} = 'active' THEN ${inventory.onHand} END), 0)`.as(
    "total_on_hand",
  ),
  reserved:
    sql<number>`COALESCE(SUM(CASE WHEN ${productVariants.status} = 'active' THEN ${inventory.reserved} END), 0)`.as(
      "total_reserved",
    ),
};

/** One product's stock (the last statement of stock write batches, or alone); no row for an unknown product. */
export function inventoryQuery(db: Db, productId: string) {
  return db
    .select(PRODUCT_STOCK)
    .from(inventory)
    .innerJoin(productVariants, eq(productVariants.id, inventory.variantId))
    .where(eq(inventory.productId, productId))
    .groupBy(inventory.productId);
}

/** One variant's stock row, if the variant is the product's. */
export function variantInventoryQuery(db: Db, productId: string, variantId: string) {
  return db
    .select({
      productId: inventory.productId,
      variantId: inventory.variantId,
      onHand: inventory.onHand,
      reserved: inventory.reserved,
    })
    .from(inventory)
    .where(and(eq(inventory.variantId, variantId), eq(inventory.productId, productId)));
}

export const toInventory = (r: InventoryRow): Inventory => ({
  productId: r.productId,
  ...(r.variantId === undefined ? {} : { variantId: r.variantId }),
  onHand: r.onHand,
  reserved: r.reserved,
  available: r.onHand - r.reserved,
});
