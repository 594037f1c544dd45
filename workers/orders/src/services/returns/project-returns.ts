import type { Return } from "@shop/contracts";

/**
 * Writes the order's returns into the D1 index (`order_returns`, ADR 0034), monotonic by each
 * return's version: a late or repeated write never moves a return backwards.
 */
export async function projectReturns(d1: D1Database, returns: { view: Return; version: number }[]): Promise<void> {
  if (returns.length === 0) return;
  await d1.batch(
    returns.map(({ view, version }) =>
      d1
        .prepare(
          `INSERT INTO order_returns (id, order_id, user_id, status, requested_at, updated_at, version, body)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
             version = excluded.version, body = excluded.body
           WHERE excluded.version > order_returns.version`,
        )
        .bind(
          view.id,
          view.orderId,
          view.userId,
          view.status,
          view.requestedAt,
          view.updatedAt,
          version,
          JSON.stringify(view),
        ),
    ),
  );
}

/** The order id a return belongs to, from the index; null when no such return is known. */
export async function orderOfReturn(d1: D1Database, returnId: string): Promise<string | null> {
  const row = await d1
    .prepare("SELECT order_id FROM order_returns WHERE id = ?1")
    .bind(returnId)
    .first<{ order_id: string }>();
  return row?.order_id ?? null;
}

/** The admin's list: returns by status (all when none), newest first. */
export async function listReturns(d1: D1Database, status: string | undefined, limit: number): Promise<Return[]> {
  const stmt = status
    ? d1
        .prepare("SELECT body FROM order_returns WHERE status = ?1 ORDER BY requested_at DESC LIMIT ?2")
        .bind(status, limit)
    : d1.prepare("SELECT body FROM order_returns ORDER BY requested_at DESC LIMIT ?1").bind(limit);
  const { results } = await stmt.all<{ body: string }>();
  return results.map((r) => JSON.parse(r.body) as Return);
}
