import { and, asc, eq, lte, sql } from "drizzle-orm";
import { inJson } from "../../db/client";
import { inventory, reservations } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { backInStock, bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";

const EXPIRY_BATCH_SIZE = 100;
/** Upper bound of batches per cron run, so one run stays short even after an outage. */
const EXPIRY_MAX_BATCHES = 10;

/**
 * Expires holds whose time (`ctx.meta.now`) is up, in bounded batches: each batch gives the
 * stock back and marks the rows `expired` in one transaction. The ids are read first, but
 * the writes re-check `state = 'active'`, so a commit racing the sweep wins or loses whole.
 * Returns how many reservation rows were expired.
 */
export async function expireDueReservations(ctx: ProductsContext): Promise<number> {
  const { db } = ctx;
  const now = ctx.meta.now;
  let expired = 0;
  for (let i = 0; i < EXPIRY_MAX_BATCHES; i++) {
    const dueIds = await db
      .select({ id: reservations.id })
      .from(reservations)
      .where(and(eq(reservations.state, "active"), lte(reservations.expiresAt, now)))
      .orderBy(asc(reservations.expiresAt), asc(reservations.id))
      .limit(EXPIRY_BATCH_SIZE);
    if (dueIds.length === 0) break;
    const due = and(
      inJson(
        reservations.id,
        dueIds.map((r) => r.id),
      ),
      eq(reservations.state, "active"),
    );
    const [, marked, bumped] = await db.batch([
      db
        .update(inventory)
        .set({
          reserved: sql`${inventory.reserved} - (SELECT COALESCE(SUM(${reservations.quantity}), 0) FROM ${reservations} WHERE ${and(eq(reservations.variantId, inventory.variantId), due)})`,
          updatedAt: now,
        })
        .where(sql`${inventory.variantId} IN (SELECT ${reservations.variantId} FROM ${reservations} WHERE ${due})`),
      db.update(reservations).set({ state: "expired", updatedAt: now }).where(due),
      // Cached pages move only if a variant was sold out until now (ADR 0022).
      bumpCatalogVersion(
        db,
        backInStock(
          and(
            inJson(
              reservations.id,
              dueIds.map((r) => r.id),
            ),
            eq(reservations.state, "expired"),
            eq(reservations.updatedAt, now),
          ),
        ),
      ),
    ]);
    bumpedVersion(bumped, now);
    expired += marked.meta.changes;
    if (dueIds.length < EXPIRY_BATCH_SIZE) break;
  }
  return expired;
}
