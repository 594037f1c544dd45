import type { Category } from "@shop/contracts";
import { type CatalogVersion, catalogVersionOf, catalogVersionSql } from "../catalog/version";

/** All categories by name, with the catalog version, in one batch. */
export async function listCategories(db: D1Database): Promise<{ version: CatalogVersion; items: Category[] }> {
  const [versionResult, rows] = await db.batch([
    catalogVersionSql(db),
    db.prepare("SELECT id, slug, name FROM categories ORDER BY name COLLATE NOCASE, id"),
  ]);
  return { version: catalogVersionOf(versionResult), items: (rows?.results ?? []) as Category[] };
}
