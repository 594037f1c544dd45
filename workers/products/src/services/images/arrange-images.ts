import type { AdminProductImageList, ArrangeImagesBody } from "@shop/contracts";
import { Conflict, NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { productImages, products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { type ImageRow, imagesOfProduct, toAdminImage } from "./rows";

/**
 * Puts a product's images in the order given and changes the alt texts given, in one batch
 * with the catalog bump. The list must name every image of the product exactly once, so an
 * admin working from an old list (an image added or deleted meanwhile) is told, not obeyed.
 */
export async function arrangeImages(
  ctx: ProductsContext,
  input: { productId: string; body: ArrangeImagesBody },
): Promise<{ images: AdminProductImageList; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const [product, current] = await db.batch([
    db.select({ id: products.id }).from(products).where(eq(products.id, input.productId)),
    imagesOfProduct(db, input.productId),
  ]);
  if (!product[0]) throw new NotFound("The product");
  const wanted = input.body.images;
  const known = new Set(current.map((r) => r.id));
  if (wanted.length !== known.size || wanted.some((w) => !known.has(w.id))) {
    throw new Conflict("conflict", "Name every image of the product exactly once, in the new order.", [
      { path: "images", message: `must list the product's ${known.size} images (reload them and try again)` },
    ]);
  }
  const updates = wanted.map((w, position) =>
    db
      .update(productImages)
      .set({ position, ...(w.alt === undefined ? {} : { alt: w.alt }) })
      .where(and(eq(productImages.id, w.id), eq(productImages.productId, input.productId))),
  );
  // The bump leads so the batch's type is known; all of it commits or none.
  const [bumped, ...rest] = await db.batch([bumpCatalogVersion(db), ...updates, imagesOfProduct(db, input.productId)]);
  const rows = rest.at(-1) as ImageRow[];
  return { images: { items: rows.map(toAdminImage) }, catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
}
