import type { Inventory } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import type { ProductsContext } from "../../env";
import { inventoryQuery, toInventory } from "./read-inventory";

/** Units on hand and held for open orders (admin view of one product's stock). */
export async function getInventory(ctx: ProductsContext, input: { productId: string }): Promise<Inventory> {
  const row = await inventoryQuery(ctx.db, input.productId).get();
  if (!row) throw new NotFound("The product");
  return toInventory(row);
}
