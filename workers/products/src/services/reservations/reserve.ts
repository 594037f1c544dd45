import type { ReserveResult, ShortLine, StockLine } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { bumpCatalogVersion } from "../catalog/bump-version";

/** How often a failed batch is retried when a re-read shows every line would fit now. */
const MAX_ATTEMPTS = 3;

type Line = { productId: string; quantity: number };

/** One line per product: a repeated product's quantities add up. */
export function mergeLines(lines: readonly StockLine[]): Line[] {
  const byProduct = new Map<string, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return [...byProduct].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Holds stock for an order: every line or none, in one D1 batch (one transaction).
 * The database decides, never a read in this code: `reserved = reserved + q` violates
 * the inventory CHECK when stock is short, and triggers refuse unknown or archived
 * products and a second hold for the same order — any of them aborts the whole batch.
 * Only after a failure do we read, to tell the caller which lines were short.
 */
export async function reserveStock(
  db: D1Database,
  orderId: string,
  lines: readonly StockLine[],
  ttlSeconds: number,
  now = Date.now(),
): Promise<ReserveResult> {
  const merged = mergeLines(lines);
  for (let attempt = 1; ; attempt++) {
    const holdId = newId("reservation");
    const expiresAt = now + ttlSeconds * 1000;
    const statements = merged.flatMap((l) => [
      db
        .prepare(
          `INSERT INTO reservations (hold_id, order_id, product_id, quantity, expires_at, state, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?6)`,
        )
        .bind(holdId, orderId, l.productId, l.quantity, expiresAt, now),
      db
        .prepare("UPDATE inventory SET reserved = reserved + ?1, updated_at = ?2 WHERE product_id = ?3")
        .bind(l.quantity, now, l.productId),
    ]);
    try {
      await db.batch([...statements, bumpCatalogVersion(db)]);
      return { ok: true, orderId, expiresAt: new Date(expiresAt).toISOString(), lines: merged, replayed: false };
    } catch (err) {
      const message = String(err);
      if (/reservation_order_exists|UNIQUE constraint failed: reservations/.test(message)) {
        const replay = await replayReservation(db, orderId);
        if (replay) return replay;
      } else if (/CHECK constraint failed|reservation_product_unavailable/.test(message)) {
        const short = await shortLines(db, merged);
        if (short.length > 0) return { ok: false, code: "insufficient_stock", lines: short };
      } else {
        throw err;
      }
      if (attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** The first reserve call's outcome for this order, or null if it left no rows. */
async function replayReservation(db: D1Database, orderId: string): Promise<ReserveResult | null> {
  const { results } = await db
    .prepare("SELECT product_id, quantity, expires_at, state FROM reservations WHERE order_id = ?1 ORDER BY id")
    .bind(orderId)
    .all<{ product_id: string; quantity: number; expires_at: number; state: string }>();
  const first = results[0];
  if (!first) return null;
  if (first.state === "released" || first.state === "expired") {
    // The stock went back; holding it again under the same order would resurrect a dead order.
    throw new Error(`order ${orderId} already had a reservation that was ${first.state}; reserve under a new order id`);
  }
  return {
    ok: true,
    orderId,
    expiresAt: new Date(first.expires_at).toISOString(),
    lines: results.map((r) => ({ productId: r.product_id, quantity: r.quantity })),
    replayed: true,
  };
}

/** Lines that cannot be held right now, each with what is available. */
async function shortLines(db: D1Database, lines: Line[]): Promise<ShortLine[]> {
  const { results } = await db
    .prepare(
      `SELECT p.id, p.status, i.on_hand - i.reserved AS available
       FROM products p LEFT JOIN inventory i ON i.product_id = p.id
       WHERE p.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(lines.map((l) => l.productId)))
    .all<{ id: string; status: string; available: number | null }>();
  const byId = new Map(results.map((r) => [r.id, r]));
  const short: ShortLine[] = [];
  for (const l of lines) {
    const row = byId.get(l.productId);
    const available = Math.max(0, row?.available ?? 0);
    if (!row) short.push({ productId: l.productId, requested: l.quantity, available: 0, reason: "not_found" });
    else if (row.status !== "active" || row.available === null)
      short.push({ productId: l.productId, requested: l.quantity, available: 0, reason: "inactive" });
    else if (available < l.quantity)
      short.push({ productId: l.productId, requested: l.quantity, available, reason: "insufficient_stock" });
  }
  return short;
}
