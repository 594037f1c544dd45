import type { ProductOption } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { products } from "../../db/schema";

/** An active product's options, price and version, for a variant write; archived or unknown → not found. */
export async function productForVariants(db: Db, productId: string) {
  const row = await db
    .select({
      options: products.options,
      priceAmount: products.priceAmount,
      currency: products.currency,
      status: products.status,
      version: products.version,
    })
    .from(products)
    .where(eq(products.id, productId))
    .get();
  if (row?.status !== "active") throw new NotFound("The product");
  return { ...row, options: JSON.parse(row.options) as ProductOption[] };
}
