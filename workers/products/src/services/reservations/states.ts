import type { ReservationState } from "@shop/contracts";
import { and, eq, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inventory, reservations } from "../../db/schema";

/** The last statement of commit/release/restock batches: which states the order's rows are in now. */
export function orderStatesQuery(db: Db, orderId: string) {
  return db
    .select({ state: reservations.state })
    .from(reservations)
    .where(eq(reservations.orderId, orderId))
    .groupBy(reservations.state);
}

export function statesOf(rows: { state: ReservationState }[]): Set<ReservationState> {
  return new Set(rows.map((r) => r.state));
}

/** The order's reservation rows in `state` (and matching `also`), for correlated stock updates. */
export function orderRows(orderId: string, state: ReservationState, also?: SQL): SQL | undefined {
  return and(eq(reservations.orderId, orderId), eq(reservations.state, state), also);
}

/**
 * The quantity the order's row (of those `rows` selects) holds of this inventory row's
 * variant: a subquery correlated with the UPDATE of `inventory` it appears in.
 */
export function heldQuantity(rows: SQL | undefined): SQL<number> {
  return sql<number>`(SELECT ${reservations.quantity} FROM ${reservations} WHERE ${and(
    eq(reservations.variantId, inventory.variantId),
    rows,
  )})`;
}

/** Inventory rows of the variants that `rows` hold. */
export function heldProducts(db: Db, rows: SQL | undefined): SQL | undefined {
  return inArray(inventory.variantId, db.select({ variantId: reservations.variantId }).from(reservations).where(rows));
}

/** Stock held by the order's active rows goes back: `reserved` drops by each row's quantity. */
export function releaseActiveStock(db: Db, orderId: string, now: number, onlyExpired: boolean) {
  const rows = orderRows(orderId, "active", onlyExpired ? lte(reservations.expiresAt, now) : undefined);
  return db
    .update(inventory)
    .set({ reserved: sql`${inventory.reserved} - ${heldQuantity(rows)}`, updatedAt: now })
    .where(heldProducts(db, rows));
}
