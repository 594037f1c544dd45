import { type AdminProductImage, IMAGE_TYPES, type ImageType, MAX_IMAGES_PER_PRODUCT } from "@shop/contracts";
import { Conflict, NotFound, newId } from "@shop/runtime";
import { count, eq, sql } from "drizzle-orm";
import { failureText } from "../../db/client";
import { productImages, products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { toAdminImage } from "./rows";

export const IMMUTABLE = "public, max-age=31536000, immutable";

const tooMany = () =>
  new Conflict("conflict", `A product has at most ${MAX_IMAGES_PER_PRODUCT} images; delete one first.`, [
    { path: "images", message: `at most ${MAX_IMAGES_PER_PRODUCT} per product` },
  ]);

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Stores an image after the product's others. The bytes go to R2 first under a key that
 * names them (`<product>/<image>-<hash>.<ext>`), then the row and the catalog bump commit
 * together; if the row is refused (an 11th image raced in, the product vanished), the object
 * is removed again, so R2 never holds an image no row points at for long.
 */
export async function uploadImage(
  ctx: ProductsContext,
  input: { productId: string; alt: string; bytes: Uint8Array; contentType: ImageType; width?: number; height?: number },
): Promise<{ image: AdminProductImage; catalogVersion: CatalogVersion | undefined }> {
  const { db, env } = ctx;
  const [product] = await db
    .select({ id: products.id, images: count(productImages.id) })
    .from(products)
    .leftJoin(productImages, eq(productImages.productId, products.id))
    .where(eq(products.id, input.productId))
    .groupBy(products.id);
  if (!product) throw new NotFound("The product");
  if (product.images >= MAX_IMAGES_PER_PRODUCT) throw tooMany();

  const id = newId("image");
  const sha256 = await sha256Hex(input.bytes);
  const r2Key = `${input.productId}/${id}-${sha256.slice(0, 16)}.${IMAGE_TYPES[input.contentType]}`;
  await env.IMAGES.put(r2Key, input.bytes, {
    httpMetadata: { contentType: input.contentType, cacheControl: IMMUTABLE },
    sha256,
  });
  try {
    const [inserted, bumped] = await db.batch([
      db
        .insert(productImages)
        .values({
          id,
          productId: input.productId,
          position: sql`(SELECT COALESCE(MAX(${productImages.position}) + 1, 0) FROM ${productImages} WHERE ${productImages.productId} = ${input.productId})`,
          r2Key,
          sha256,
          contentType: input.contentType,
          bytes: input.bytes.length,
          width: input.width ?? null,
          height: input.height ?? null,
          alt: input.alt,
          createdAt: ctx.meta.now,
        })
        .returning(),
      bumpCatalogVersion(db),
    ]);
    const row = inserted[0];
    if (!row) throw new Error("the image insert returned no row");
    return { image: toAdminImage(row), catalogVersion: bumpedVersion(bumped, ctx.meta.now) };
  } catch (err) {
    ctx.defer(env.IMAGES.delete(r2Key));
    const text = failureText(err);
    if (/too_many_images/.test(text)) throw tooMany();
    if (/FOREIGN KEY constraint failed/.test(text)) throw new NotFound("The product");
    throw err;
  }
}
