import type { Inventory } from "@shop/contracts";
import { notFound } from "@shop/runtime";
import { type Row, readSql, toInventory } from "./set-on-hand";

/** Units on hand and held for open orders (admin view of one product's stock). */
export async function getInventory(db: D1Database, productId: string): Promise<Inventory> {
  const row = await readSql(db, productId).first<Row>();
  if (!row) throw notFound("The product");
  return toInventory(row);
}
