import { defaultVariantId, type Inventory } from "@shop/contracts";
import { Conflict, NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { failureText } from "../../db/client";
import { inventory } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { inventoryQuery, toInventory, variantInventoryQuery } from "./read-inventory";

/**
 * Sets the units on hand of one variant (a stock count); without `variantId`, of the product's
 * default variant (a simple product's stock), answering the product's stock. The CHECK
 * constraint refuses a count below what is reserved — that would oversell held orders — and the
 * batch rolls back.
 */
export async function setOnHand(
  ctx: ProductsContext,
  input: { productId: string; variantId?: string; onHand: number },
): Promise<{ inventory: Inventory; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { productId } = input;
  const variantId = input.variantId ?? defaultVariantId(productId);
  try {
    const [, bumped, rows] = await db.batch([
      db
        .update(inventory)
        .set({ onHand: input.onHand, updatedAt: ctx.meta.now })
        .where(and(eq(inventory.variantId, variantId), eq(inventory.productId, productId))),
      bumpCatalogVersion(db),
      input.variantId === undefined ? inventoryQuery(db, productId) : variantInventoryQuery(db, productId, variantId),
    ]);
    const row = rows[0];
    if (!row) throw new NotFound(input.variantId === undefined ? "The product" : "The variant");
    return { inventory: toInventory(row), catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
  } catch (err) {
    if (!/CHECK constraint failed/.test(failureText(err))) throw err;
    const current = await variantInventoryQuery(db, productId, variantId).get();
    throw new Conflict(
      "conflict",
      `${current?.reserved ?? "Some"} units are reserved by open orders; on hand cannot go below that.`,
      [{ path: "onHand", message: `must be at least ${current?.reserved ?? "the reserved quantity"}` }],
    );
  }
}
