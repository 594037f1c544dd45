import { NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { productImages, products } from "../../db/schema";
import type { ProductsContext } from "../../env";

export type ImageFile = { sha256: string; contentType: string; bytes: number; body?: ReadableStream };

/**
 * The file behind a public image URL. Only an image of an active product is served: deleting
 * the image or archiving the product makes its URL 404. When `needsBody` says no (a
 * revalidation whose ETag matches), there is no R2 read.
 */
export async function readImage(
  ctx: ProductsContext,
  input: { r2Key: string; needsBody: (sha256: string) => boolean },
): Promise<ImageFile> {
  const { db, env } = ctx;
  const [row] = await db
    .select({ sha256: productImages.sha256, contentType: productImages.contentType, bytes: productImages.bytes })
    .from(productImages)
    .innerJoin(products, eq(products.id, productImages.productId))
    .where(and(eq(productImages.r2Key, input.r2Key), eq(products.status, "active")));
  if (!row) throw new NotFound("The image");
  if (!input.needsBody(row.sha256)) return row;
  const object = await env.IMAGES.get(input.r2Key);
  if (!object) throw new NotFound("The image");
  return { ...row, body: object.body };
}
