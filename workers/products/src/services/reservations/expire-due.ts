import { bumpCatalogVersion } from "../catalog/bump-version";

const EXPIRY_BATCH_SIZE = 100;
/** Upper bound of batches per cron run, so one run stays short even after an outage. */
const EXPIRY_MAX_BATCHES = 10;

/**
 * Expires holds whose time is up, in bounded batches: each batch gives the stock back
 * and marks the rows `expired` in one transaction. The ids are read first, but the
 * writes re-check `state = 'active'`, so a commit racing the sweep wins or loses whole.
 * Returns how many reservation rows were expired.
 */
export async function expireDueReservations(db: D1Database, now: number): Promise<number> {
  let expired = 0;
  for (let i = 0; i < EXPIRY_MAX_BATCHES; i++) {
    const { results } = await db
      .prepare(
        "SELECT id FROM reservations WHERE state = 'active' AND expires_at <= ?1 ORDER BY expires_at, id LIMIT ?2",
      )
      .bind(now, EXPIRY_BATCH_SIZE)
      .all<{ id: number }>();
    if (results.length === 0) break;
    const ids = JSON.stringify(results.map((r) => r.id));
    const due =
      "SELECT r.id FROM reservations r WHERE r.id IN (SELECT value FROM json_each(?1)) AND r.state = 'active'";
    const [, marked] = await db.batch([
      db
        .prepare(
          `UPDATE inventory SET
             reserved = reserved - (SELECT COALESCE(SUM(r.quantity), 0) FROM reservations r
               WHERE r.product_id = inventory.product_id AND r.id IN (${due})),
             updated_at = ?2
           WHERE product_id IN (SELECT r.product_id FROM reservations r WHERE r.id IN (${due}))`,
        )
        .bind(ids, now),
      db.prepare(`UPDATE reservations SET state = 'expired', updated_at = ?2 WHERE id IN (${due})`).bind(ids, now),
      bumpCatalogVersion(db),
    ]);
    expired += marked?.meta.changes ?? 0;
    if (results.length < EXPIRY_BATCH_SIZE) break;
  }
  return expired;
}
