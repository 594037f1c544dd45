import type { AdminProduct, UpdateProductBody } from "@shop/contracts";
import { AppError, notFound } from "@shop/runtime";
import { bumpCatalogVersion } from "../catalog/bump-version";
import { adminWriteError } from "./admin-errors";
import { adminProductSql } from "./admin-read";
import { type ProductRow, toAdmin } from "./rows";

export const staleVersion = (current: number) =>
  new AppError(412, "precondition_failed", `The product changed since you read it; it is now at version ${current}.`);

/**
 * Optimistic concurrency: the UPDATE only matches the version the admin read. The write,
 * the catalog bump and the read-back share one batch, so a zero-row update is told apart
 * (missing/archived → 404, other version → 412) without another round trip.
 */
export async function updateProduct(
  db: D1Database,
  id: string,
  expectedVersion: number,
  patch: UpdateProductBody,
  now = Date.now(),
): Promise<AdminProduct> {
  const columns: [string, unknown][] = [];
  if (patch.sku !== undefined) columns.push(["sku", patch.sku]);
  if (patch.name !== undefined) columns.push(["name", patch.name]);
  if (patch.description !== undefined) columns.push(["description", patch.description]);
  if (patch.categoryId !== undefined) columns.push(["category_id", patch.categoryId]);
  if (patch.price !== undefined) columns.push(["price_amount", patch.price.amount], ["currency", patch.price.currency]);
  if (patch.attributes !== undefined) columns.push(["attributes", JSON.stringify(patch.attributes)]);
  if (patch.imageUrls !== undefined) columns.push(["image_urls", JSON.stringify(patch.imageUrls)]);
  const set = columns.map(([col], i) => `${col} = ?${i + 4}`).join(", ");

  let results: D1Result<unknown>[];
  try {
    results = await db.batch([
      db
        .prepare(
          `UPDATE products SET ${set}, version = version + 1, updated_at = ?3
           WHERE id = ?1 AND version = ?2 AND status = 'active'`,
        )
        .bind(id, expectedVersion, now, ...columns.map(([, v]) => v)),
      bumpCatalogVersion(db),
      adminProductSql(db, id),
    ]);
  } catch (err) {
    throw adminWriteError(err) ?? err;
  }
  const row = results.at(-1)?.results?.[0] as ProductRow | undefined;
  if (row?.status !== "active") throw notFound("The product");
  if ((results[0]?.meta.changes ?? 0) === 0) throw staleVersion(row.version);
  return toAdmin(row);
}
