import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { catalogState } from "../../db/schema";

/**
 * Appended to the batch of every write that changes what a shopper can see (price,
 * availability, visibility). Edge-cache keys embed (version, stamp), so the write and
 * the invalidation commit together: no reader can pair new data with an old key.
 * With `when`, the bump happens only if that condition holds when the statement runs.
 */
export function bumpCatalogVersion(db: Db, when?: SQL) {
  return db
    .update(catalogState)
    .set({ version: sql`${catalogState.version} + 1`, stamp: sql`lower(hex(randomblob(8)))` })
    .where(and(eq(catalogState.id, 1), when));
}
