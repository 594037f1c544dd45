import type { ReserveResult, StockLine } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { mergeLines } from "../services/reservations/reserve";

/**
 * DELIBERATELY WRONG — exists only so the correctness battery can prove it would catch an
 * oversell. Only battery builds contain it (./armed.ts, ADR 0015), and there it is reached
 * solely while the fault switch `products.reserve.unguarded` is armed. It checks stock with a read, then writes an absolute value in a
 * second round trip: the classic lost update that `reserveStock` avoids by letting the
 * database decide in one batch.
 */
export async function reserveUnguarded(
  db: D1Database,
  orderId: string,
  lines: readonly StockLine[],
  ttlSeconds: number,
): Promise<ReserveResult> {
  const merged = mergeLines(lines);
  const now = Date.now();
  for (const l of merged) {
    const row = await db
      .prepare("SELECT on_hand, reserved FROM inventory WHERE product_id = ?1")
      .bind(l.productId)
      .first<{ on_hand: number; reserved: number }>();
    if (!row || row.on_hand - row.reserved < l.quantity) {
      return {
        ok: false,
        code: "insufficient_stock",
        lines: [
          {
            productId: l.productId,
            requested: l.quantity,
            available: row ? row.on_hand - row.reserved : 0,
            reason: "insufficient_stock",
          },
        ],
      };
    }
    // Let other requests interleave between the check and the write, as real load does.
    await new Promise((r) => setTimeout(r, 5));
    await db
      .prepare("UPDATE inventory SET reserved = ?1, updated_at = ?2 WHERE product_id = ?3")
      .bind(row.reserved + l.quantity, now, l.productId)
      .run();
  }
  const holdId = newId("reservation");
  await db.batch(
    merged.map((l) =>
      db
        .prepare(
          `INSERT INTO reservations (hold_id, order_id, product_id, quantity, expires_at, state, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?6)`,
        )
        .bind(holdId, orderId, l.productId, l.quantity, now + ttlSeconds * 1000, now),
    ),
  );
  return {
    ok: true,
    orderId,
    expiresAt: new Date(now + ttlSeconds * 1000).toISOString(),
    lines: merged,
    replayed: false,
  };
}
