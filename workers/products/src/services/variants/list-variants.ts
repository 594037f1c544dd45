import type { AdminVariantList, ProductOption } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { adminVariantsQuery, toAdminVariant } from "./rows";

/** A product's options and every variant, archived ones too, with their stock (admin view). */
export async function listVariants(ctx: ProductsContext, input: { productId: string }): Promise<AdminVariantList> {
  const { db } = ctx;
  const [product, rows] = await db.batch([
    db.select({ options: products.options }).from(products).where(eq(products.id, input.productId)),
    adminVariantsQuery(db, input.productId),
  ]);
  const options = product[0]?.options;
  if (options === undefined) throw new NotFound("The product");
  return { options: JSON.parse(options) as ProductOption[], items: rows.map(toAdminVariant) };
}
