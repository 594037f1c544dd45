import type { ProductDetail } from "@shop/contracts";
import { type CatalogVersion, catalogVersionOf, catalogVersionSql } from "../catalog/version";
import { PRODUCT_COLUMNS, PRODUCT_JOINS, type ProductRow, toDetail } from "./rows";

/** A product a shopper may see (archived → null), with the catalog version, in one batch. */
export async function getProduct(
  db: D1Database,
  id: string,
): Promise<{ version: CatalogVersion; product: ProductDetail | null }> {
  const [versionResult, productResult] = await db.batch([
    catalogVersionSql(db),
    db
      .prepare(`SELECT ${PRODUCT_COLUMNS} FROM products p ${PRODUCT_JOINS} WHERE p.id = ?1 AND p.status = 'active'`)
      .bind(id),
  ]);
  const row = productResult?.results?.[0] as ProductRow | undefined;
  return { version: catalogVersionOf(versionResult), product: row ? toDetail(row) : null };
}
