import type { InventoryList } from "@shop/contracts";
import { eq, inArray } from "drizzle-orm";
import { inventory, productVariants } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { PRODUCT_STOCK, toInventory } from "./read-inventory";

/** Units on hand and held of several products (admin listing), in the order asked; unknown ids are left out. */
export async function listInventory(ctx: ProductsContext, input: { productIds: string[] }): Promise<InventoryList> {
  const rows = await ctx.db
    .select(PRODUCT_STOCK)
    .from(inventory)
    .innerJoin(productVariants, eq(productVariants.id, inventory.variantId))
    .where(inArray(inventory.productId, input.productIds))
    .groupBy(inventory.productId);
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return {
    items: input.productIds.flatMap((id) => (byId.has(id) ? [toInventory(byId.get(id) as (typeof rows)[number])] : [])),
  };
}
