import type { Inventory } from "@shop/contracts";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inventory } from "../../db/schema";

type InventoryRow = Pick<typeof inventory.$inferSelect, "productId" | "onHand" | "reserved">;

/** One product's stock row (the last statement of stock write batches, or alone). */
export function inventoryQuery(db: Db, productId: string) {
  return db
    .select({ productId: inventory.productId, onHand: inventory.onHand, reserved: inventory.reserved })
    .from(inventory)
    .where(eq(inventory.productId, productId));
}

export const toInventory = (r: InventoryRow): Inventory => ({
  productId: r.productId,
  onHand: r.onHand,
  reserved: r.reserved,
  available: r.onHand - r.reserved,
});
