import type { ReservationState } from "@shop/contracts";

/** The last statement of commit/release batches: which states the order's rows are in now. */
export function orderStatesSql(db: D1Database, orderId: string): D1PreparedStatement {
  return db.prepare("SELECT state FROM reservations WHERE order_id = ?1 GROUP BY state").bind(orderId);
}

export function statesOf(result: D1Result<unknown> | undefined): Set<ReservationState> {
  return new Set((result?.results as { state: ReservationState }[] | undefined)?.map((r) => r.state) ?? []);
}

/** Stock held by the order's active rows goes back: `reserved` drops by each row's quantity. */
export function releaseActiveStockSql(db: D1Database, orderId: string, now: number, onlyExpired: boolean) {
  const due = onlyExpired ? "AND r.expires_at <= ?2" : "";
  return db
    .prepare(
      `UPDATE inventory SET
         reserved = reserved - (SELECT r.quantity FROM reservations r
           WHERE r.order_id = ?1 AND r.product_id = inventory.product_id AND r.state = 'active' ${due}),
         updated_at = ?2
       WHERE product_id IN (SELECT r.product_id FROM reservations r WHERE r.order_id = ?1 AND r.state = 'active' ${due})`,
    )
    .bind(orderId, now);
}
