import { NotFound } from "@shop/runtime";
import { and, eq, gt, sql } from "drizzle-orm";
import { productImages } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";

/**
 * Deletes one image: the row goes and the images after it move up, with the catalog bump, in
 * one batch; then its bytes leave R2 (its URL answers 404 from then on, see read-image.ts).
 */
export async function deleteImage(
  ctx: ProductsContext,
  input: { productId: string; imageId: string },
): Promise<{ catalogVersion: CatalogVersion | undefined }> {
  const { db, env } = ctx;
  const ofProduct = and(eq(productImages.id, input.imageId), eq(productImages.productId, input.productId));
  const [row] = await db.select().from(productImages).where(ofProduct);
  if (!row) throw new NotFound("The image");
  const [deleted, , bumped] = await db.batch([
    db.delete(productImages).where(ofProduct).returning({ id: productImages.id }),
    db
      .update(productImages)
      .set({ position: sql`${productImages.position} - 1` })
      .where(and(eq(productImages.productId, input.productId), gt(productImages.position, row.position))),
    bumpCatalogVersion(db),
  ]);
  // A concurrent delete of the same image won the race: it removes the bytes.
  if (deleted.length === 0) throw new NotFound("The image");
  await env.IMAGES.delete(row.r2Key);
  return { catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
}
