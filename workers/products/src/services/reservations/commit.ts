import type { CommitResult } from "@shop/contracts";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { orderStatesSql, releaseActiveStockSql, statesOf } from "./states";

/**
 * Turns an order's hold into a sale, in one batch: `on_hand` and `reserved` both drop.
 * A hold past its expiry counts as expired even if the sweeper has not run yet: its
 * stock goes back in the same batch and the caller learns `expired` (and must refund).
 * Repeating a commit is harmless: nothing is active any more, the state answers.
 */
export async function commitReservation(db: D1Database, orderId: string, now = Date.now()): Promise<CommitResult> {
  const results = await db.batch([
    releaseActiveStockSql(db, orderId, now, true),
    db
      .prepare(
        "UPDATE reservations SET state = 'expired', updated_at = ?2 WHERE order_id = ?1 AND state = 'active' AND expires_at <= ?2",
      )
      .bind(orderId, now),
    bumpCatalogVersion(db, {
      sql: "SELECT 1 FROM reservations WHERE order_id = ?1 AND state = 'expired' AND updated_at = ?2",
      params: [orderId, now],
    }),
    db
      .prepare(
        `UPDATE inventory SET
           on_hand = on_hand - (SELECT r.quantity FROM reservations r
             WHERE r.order_id = ?1 AND r.product_id = inventory.product_id AND r.state = 'active'),
           reserved = reserved - (SELECT r.quantity FROM reservations r
             WHERE r.order_id = ?1 AND r.product_id = inventory.product_id AND r.state = 'active'),
           updated_at = ?2
         WHERE product_id IN (SELECT r.product_id FROM reservations r WHERE r.order_id = ?1 AND r.state = 'active')`,
      )
      .bind(orderId, now),
    db
      .prepare("UPDATE reservations SET state = 'committed', updated_at = ?2 WHERE order_id = ?1 AND state = 'active'")
      .bind(orderId, now),
    orderStatesSql(db, orderId),
  ]);
  const states = statesOf(results.at(-1));
  if (states.has("committed")) return { ok: true, state: "committed" };
  if (states.has("expired")) return { ok: false, state: "expired" };
  if (states.has("released")) return { ok: false, state: "released" };
  return { ok: false, state: "missing" };
}
