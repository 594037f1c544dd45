import type { RestockResult } from "@shop/contracts";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { orderStatesSql, statesOf } from "./states";

/**
 * Puts a cancelled sale's units back on the shelf, in one batch: `on_hand` grows by each
 * committed row's quantity and the rows move committed → restocked. Both statements read
 * only `state = 'committed'` rows inside one transaction, so a concurrent or repeated call
 * finds nothing left to add: units come back exactly once. A trigger refuses any other
 * move into `restocked`. Availability changes, so the catalog version moves with it.
 */
export async function restockReservation(db: D1Database, orderId: string, now = Date.now()): Promise<RestockResult> {
  const results = await db.batch([
    db
      .prepare(
        `UPDATE inventory SET
           on_hand = on_hand + (SELECT r.quantity FROM reservations r
             WHERE r.order_id = ?1 AND r.product_id = inventory.product_id AND r.state = 'committed'),
           updated_at = ?2
         WHERE product_id IN (SELECT r.product_id FROM reservations r WHERE r.order_id = ?1 AND r.state = 'committed')`,
      )
      .bind(orderId, now),
    db
      .prepare(
        "UPDATE reservations SET state = 'restocked', updated_at = ?2 WHERE order_id = ?1 AND state = 'committed'",
      )
      .bind(orderId, now),
    // changes() is the row count of the statement just before (the state move): only the
    // call that actually restocked bumps, so a repeat leaves the catalog untouched.
    bumpCatalogVersion(db, { sql: "SELECT 1 WHERE changes() > 0", params: [] }),
    orderStatesSql(db, orderId),
  ]);
  const states = statesOf(results.at(-1));
  if (states.has("restocked")) return { ok: true, state: "restocked" };
  if (states.size === 0) return { ok: false, state: "missing" };
  return { ok: false, state: "not_committed" };
}
