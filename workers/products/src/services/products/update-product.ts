import type { AdminProduct, UpdateProductBody } from "@shop/contracts";
import { NotFound, PreconditionFailed } from "@shop/runtime";
import { and, eq, sql } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { adminWriteError } from "./admin-errors";
import { adminProductQuery } from "./admin-read";
import { toAdmin } from "./rows";

export const staleVersion = (current: number) =>
  new PreconditionFailed(`The product changed since you read it; it is now at version ${current}.`);

/**
 * Optimistic concurrency: the UPDATE only matches the version the admin read. The write,
 * the catalog bump and the read-back share one batch, so a zero-row update is told apart
 * (missing/archived → not found, other version → precondition failed) without another round trip.
 */
export async function updateProduct(
  ctx: ProductsContext,
  input: { id: string; expectedVersion: number; patch: UpdateProductBody },
): Promise<{ product: AdminProduct; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { id, expectedVersion, patch } = input;
  // Fields left out of the patch are undefined, which drizzle leaves out of the SET.
  const [update, bumped, rows] = await db
    .batch([
      db
        .update(products)
        .set({
          sku: patch.sku,
          name: patch.name,
          description: patch.description,
          categoryId: patch.categoryId,
          priceAmount: patch.price?.amount,
          currency: patch.price?.currency,
          attributes: patch.attributes === undefined ? undefined : JSON.stringify(patch.attributes),
          imageUrls: patch.imageUrls === undefined ? undefined : JSON.stringify(patch.imageUrls),
          taxClass: patch.taxClass,
          version: sql`${products.version} + 1`,
          updatedAt: ctx.meta.now,
        })
        .where(and(eq(products.id, id), eq(products.version, expectedVersion), eq(products.status, "active"))),
      bumpCatalogVersion(db),
      adminProductQuery(db, id),
    ])
    .catch((err: unknown) => {
      throw adminWriteError(err) ?? err;
    });
  const row = rows[0];
  if (row?.status !== "active") throw new NotFound("The product");
  if (update.meta.changes === 0) throw staleVersion(row.version);
  return { product: toAdmin(row), catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
}
