import type { AdminProductImageList } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { imagesOfProduct, toAdminImage } from "./rows";

/** An admin's view of a product's images (any product status), in display order. */
export async function listImages(ctx: ProductsContext, input: { productId: string }): Promise<AdminProductImageList> {
  const { db } = ctx;
  const [product, rows] = await db.batch([
    db.select({ id: products.id }).from(products).where(eq(products.id, input.productId)),
    imagesOfProduct(db, input.productId),
  ]);
  if (!product[0]) throw new NotFound("The product");
  return { items: rows.map(toAdminImage) };
}
