import { defaultVariantId, type RestockReturnResult, type StockLine } from "@shop/contracts";
import { and, eq, sql } from "drizzle-orm";
import { inventory, stockReturns } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";

/**
 * Puts a return's units back on the shelf (ADR 0034), in one batch: the rows of the return are
 * inserted unless they exist (keyed by return and variant), and `on_hand` grows by the rows
 * this call inserted (`applied_by` is this call's own token). A repeat, or a concurrent call,
 * inserts nothing and so adds nothing. A line names a variant, or a product (its default variant).
 */
export async function restockReturn(
  ctx: ProductsContext,
  input: { returnId: string; lines: StockLine[] },
): Promise<RestockReturnResult> {
  const { db } = ctx;
  const now = ctx.meta.now;
  const token = crypto.randomUUID();
  const rows = input.lines.map((l) => ({
    returnId: input.returnId,
    variantId: l.variantId ?? defaultVariantId(l.productId ?? ""),
    productId: l.productId ?? "",
    quantity: l.quantity,
    appliedBy: token,
    createdAt: now,
  }));
  const mine = and(eq(stockReturns.returnId, input.returnId), eq(stockReturns.appliedBy, token));
  const added = sql`(SELECT ${stockReturns.quantity} FROM ${stockReturns} WHERE ${mine} AND ${stockReturns.variantId} = ${inventory.variantId})`;
  const [, , bumped] = await db.batch([
    db.insert(stockReturns).values(rows).onConflictDoNothing(),
    db
      .update(inventory)
      .set({ onHand: sql`${inventory.onHand} + ${added}`, updatedAt: now })
      .where(sql`${inventory.variantId} IN (SELECT ${stockReturns.variantId} FROM ${stockReturns} WHERE ${mine})`),
    // A variant that was sold out is back: cached catalog pages must go (ADR 0022).
    bumpCatalogVersion(
      db,
      sql`EXISTS (SELECT 1 FROM ${inventory} WHERE ${inventory.variantId} IN (SELECT ${stockReturns.variantId} FROM ${stockReturns} WHERE ${mine}) AND ${inventory.onHand} - ${inventory.reserved} <= ${added})`,
    ),
  ]);
  bumpedVersion(bumped, now);
  const applied = await db.select({ n: sql<number>`count(*)` }).from(stockReturns).where(mine).get();
  return { ok: true, replayed: (applied?.n ?? 0) === 0 };
}
