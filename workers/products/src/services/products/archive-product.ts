import { notFound } from "@shop/runtime";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { adminProductSql } from "./admin-read";
import type { ProductRow } from "./rows";
import { staleVersion } from "./update-product";

/**
 * Archives (never deletes): orders keep their snapshots and held stock can still be
 * committed or released. Archiving an archived product is a no-op. With an expected
 * version, a product changed since it was read is refused (412).
 */
export async function archiveProduct(
  db: D1Database,
  id: string,
  expectedVersion: number | null,
  now = Date.now(),
): Promise<void> {
  const [update, , read] = await db.batch([
    db
      .prepare(
        `UPDATE products SET status = 'archived', version = version + 1, updated_at = ?2
         WHERE id = ?1 AND status = 'active' AND (?3 IS NULL OR version = ?3)`,
      )
      .bind(id, now, expectedVersion),
    bumpCatalogVersion(db),
    adminProductSql(db, id),
  ]);
  const row = read?.results?.[0] as ProductRow | undefined;
  if (!row) throw notFound("The product");
  if ((update?.meta.changes ?? 0) === 0 && row.status === "active") throw staleVersion(row.version);
}
