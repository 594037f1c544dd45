import type { AdminProductImage, ProductImage } from "@shop/contracts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { productImages } from "../../db/schema";

/** Images are served by the gateway at `/images/<r2 key>`; the key names the bytes (ADR 0025). */
export const IMAGE_URL_PREFIX = "/images/";

export const imageUrl = (r2Key: string) => `${IMAGE_URL_PREFIX}${r2Key}`;

export type ImageRow = typeof productImages.$inferSelect;

/** A product's images in display order. */
export function imagesOfProduct(db: Db, productId: string) {
  return db
    .select()
    .from(productImages)
    .where(eq(productImages.productId, productId))
    .orderBy(asc(productImages.position), asc(productImages.id));
}

const dimensions = (width: number | null, height: number | null) =>
  width !== null && height !== null ? { width, height } : {};

/** The shopper's view, from the JSON the product reads aggregate (see PRODUCT_FIELDS). */
export function toProductImages(json: string | null): ProductImage[] {
  const rows = JSON.parse(json ?? "[]") as { key: string; alt: string; width: number | null; height: number | null }[];
  return rows.map((r) => ({ url: imageUrl(r.key), alt: r.alt, ...dimensions(r.width, r.height) }));
}

export function toAdminImage(r: ImageRow): AdminProductImage {
  return {
    id: r.id,
    url: imageUrl(r.r2Key),
    alt: r.alt,
    ...dimensions(r.width, r.height),
    contentType: r.contentType,
    bytes: r.bytes,
    position: r.position,
  };
}
