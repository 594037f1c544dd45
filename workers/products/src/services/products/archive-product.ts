import { NotFound } from "@shop/runtime";
import { and, eq, sql } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { adminProductQuery } from "./admin-read";
import { staleVersion } from "./update-product";

/**
 * Archives (never deletes): orders keep their snapshots and held stock can still be
 * committed or released. Archiving an archived product is a no-op. With an expected
 * version, a product changed since it was read is refused (precondition failed).
 */
export async function archiveProduct(
  ctx: ProductsContext,
  input: { id: string; expectedVersion: number | null },
): Promise<{ catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const [update, bumped, rows] = await db.batch([
    db
      .update(products)
      .set({ status: "archived", version: sql`${products.version} + 1`, updatedAt: ctx.meta.now })
      .where(
        and(
          eq(products.id, input.id),
          eq(products.status, "active"),
          input.expectedVersion === null ? undefined : eq(products.version, input.expectedVersion),
        ),
      ),
    bumpCatalogVersion(db),
    adminProductQuery(db, input.id),
  ]);
  const row = rows[0];
  if (!row) throw new NotFound("The product");
  if (update.meta.changes === 0 && row.status === "active") throw staleVersion(row.version);
  return { catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
}
