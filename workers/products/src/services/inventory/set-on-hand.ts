import type { Inventory } from "@shop/contracts";
import { conflict, notFound } from "@shop/runtime";
import { bumpCatalogVersion } from "../catalog/bump-version";

export type Row = { product_id: string; on_hand: number; reserved: number };

export const toInventory = (r: Row): Inventory => ({
  productId: r.product_id,
  onHand: r.on_hand,
  reserved: r.reserved,
  available: r.on_hand - r.reserved,
});

export const readSql = (db: D1Database, id: string) =>
  db.prepare("SELECT product_id, on_hand, reserved FROM inventory WHERE product_id = ?1").bind(id);

/**
 * Sets the units on hand (a stock count). The CHECK constraint refuses a count below
 * what is reserved — that would oversell held orders — and the batch rolls back.
 */
export async function setOnHand(
  db: D1Database,
  productId: string,
  onHand: number,
  now = Date.now(),
): Promise<Inventory> {
  try {
    const results = await db.batch([
      db
        .prepare("UPDATE inventory SET on_hand = ?2, updated_at = ?3 WHERE product_id = ?1")
        .bind(productId, onHand, now),
      bumpCatalogVersion(db),
      readSql(db, productId),
    ]);
    const row = results.at(-1)?.results?.[0] as Row | undefined;
    if (!row) throw notFound("The product");
    return toInventory(row);
  } catch (err) {
    if (!/CHECK constraint failed/.test(String(err))) throw err;
    const current = await readSql(db, productId).first<Row>();
    throw conflict(
      "conflict",
      `${current?.reserved ?? "Some"} units are reserved by open orders; on hand cannot go below that.`,
      [{ path: "onHand", message: `must be at least ${current?.reserved ?? "the reserved quantity"}` }],
    );
  }
}
