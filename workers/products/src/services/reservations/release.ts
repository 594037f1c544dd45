import type { ReleaseResult } from "@shop/contracts";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { orderStatesSql, releaseActiveStockSql, statesOf } from "./states";

/**
 * Gives an order's held stock back, in one batch. Idempotent: released, expired or
 * unknown orders answer ok; a committed order is refused (the goods are sold).
 */
export async function releaseReservation(db: D1Database, orderId: string, now = Date.now()): Promise<ReleaseResult> {
  const results = await db.batch([
    releaseActiveStockSql(db, orderId, now, false),
    db
      .prepare("UPDATE reservations SET state = 'released', updated_at = ?2 WHERE order_id = ?1 AND state = 'active'")
      .bind(orderId, now),
    bumpCatalogVersion(db, {
      sql: "SELECT 1 FROM reservations WHERE order_id = ?1 AND state = 'released' AND updated_at = ?2",
      params: [orderId, now],
    }),
    orderStatesSql(db, orderId),
  ]);
  const states = statesOf(results.at(-1));
  if (states.has("committed")) return { ok: false, state: "committed" };
  if (states.has("released")) return { ok: true, state: "released" };
  if (states.has("expired")) return { ok: true, state: "expired" };
  return { ok: true, state: "missing" };
}
