/**
 * Appended to the batch of every write that changes what a shopper can see (price,
 * availability, visibility). Edge-cache keys embed (version, stamp), so the write and
 * the invalidation commit together: no reader can pair new data with an old key.
 */
const BUMP_CATALOG_VERSION_SQL =
  "UPDATE catalog_state SET version = version + 1, stamp = lower(hex(randomblob(8))) WHERE id = 1";

export function bumpCatalogVersion(db: D1Database, when?: { sql: string; params: unknown[] }): D1PreparedStatement {
  if (!when) return db.prepare(BUMP_CATALOG_VERSION_SQL);
  return db.prepare(`${BUMP_CATALOG_VERSION_SQL} AND EXISTS (${when.sql})`).bind(...when.params);
}
