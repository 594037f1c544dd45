import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inJson } from "../../db/client";
import { catalogState, inventory, reservations } from "../../db/schema";
import { type CatalogVersion, noteCatalogVersion } from "./version";

/**
 * Appended to the batch of every write that changes what a shopper can see (price,
 * visibility, a product selling out or coming back). Cache entries carry (version, stamp),
 * so the write and the invalidation commit together. It returns the new version (no row when
 * `when` did not hold), which the writer reads back for read-your-writes (ADR 0022).
 */
export function bumpCatalogVersion(db: Db, when?: SQL) {
  return db
    .update(catalogState)
    .set({ version: sql`${catalogState.version} + 1`, stamp: sql`lower(hex(randomblob(8)))` })
    .where(and(eq(catalogState.id, 1), when))
    .returning({ version: catalogState.version, stamp: catalogState.stamp });
}

/**
 * The version a write's bump returned, remembered by this isolate (its next reads see the
 * write at once); undefined when nothing was bumped.
 */
export function bumpedVersion(rows: CatalogVersion[], startedAt: number): CatalogVersion | undefined {
  const version = rows[0];
  if (version) noteCatalogVersion(version, startedAt);
  return version;
}

/**
 * Holding stock changes no cached page unless a variant sells out (ADR 0022): true when,
 * after the batch's `reserved` increments, one of `variantIds` has nothing left.
 */
export function soldOut(variantIds: readonly string[]): SQL {
  return sql`EXISTS (SELECT 1 FROM ${inventory} WHERE ${inJson(inventory.variantId, variantIds)} AND ${inventory.onHand} - ${inventory.reserved} <= 0)`;
}

/**
 * Stock coming back changes no cached page unless a variant was sold out: true when one of
 * the variants of the reservation rows `moved` (the rows the batch just gave back) now has
 * exactly what those rows returned — that is, it had nothing before.
 */
export function backInStock(moved: SQL | undefined): SQL {
  const returned = sql`(SELECT SUM(${reservations.quantity}) FROM ${reservations} WHERE ${and(eq(reservations.variantId, inventory.variantId), moved)})`;
  return sql`EXISTS (SELECT 1 FROM ${inventory} WHERE ${inventory.variantId} IN (SELECT ${reservations.variantId} FROM ${reservations} WHERE ${moved}) AND ${inventory.onHand} - ${inventory.reserved} > 0 AND ${inventory.onHand} - ${inventory.reserved} <= ${returned})`;
}
