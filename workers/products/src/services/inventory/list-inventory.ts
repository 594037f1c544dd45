import type { InventoryList } from "@shop/contracts";
import { inArray } from "drizzle-orm";
import { inventory } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { toInventory } from "./read-inventory";

/** Units on hand and held of several products (admin listing), in the order asked; unknown ids are left out. */
export async function listInventory(ctx: ProductsContext, input: { productIds: string[] }): Promise<InventoryList> {
  const rows = await ctx.db
    .select({ productId: inventory.productId, onHand: inventory.onHand, reserved: inventory.reserved })
    .from(inventory)
    .where(inArray(inventory.productId, input.productIds));
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return {
    items: input.productIds.flatMap((id) => (byId.has(id) ? [toInventory(byId.get(id) as (typeof rows)[number])] : [])),
  };
}
