import type { Inventory } from "@shop/contracts";
import { Conflict, NotFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import { failureText } from "../../db/client";
import { inventory } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { inventoryQuery, toInventory } from "./read-inventory";

/**
 * Sets the units on hand (a stock count). The CHECK constraint refuses a count below
 * what is reserved — that would oversell held orders — and the batch rolls back.
 */
export async function setOnHand(
  ctx: ProductsContext,
  input: { productId: string; onHand: number },
): Promise<{ inventory: Inventory; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  try {
    const [, bumped, rows] = await db.batch([
      db
        .update(inventory)
        .set({ onHand: input.onHand, updatedAt: ctx.meta.now })
        .where(eq(inventory.productId, input.productId)),
      bumpCatalogVersion(db),
      inventoryQuery(db, input.productId),
    ]);
    const row = rows[0];
    if (!row) throw new NotFound("The product");
    return { inventory: toInventory(row), catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
  } catch (err) {
    if (!/CHECK constraint failed/.test(failureText(err))) throw err;
    const current = await inventoryQuery(db, input.productId).get();
    throw new Conflict(
      "conflict",
      `${current?.reserved ?? "Some"} units are reserved by open orders; on hand cannot go below that.`,
      [{ path: "onHand", message: `must be at least ${current?.reserved ?? "the reserved quantity"}` }],
    );
  }
}
