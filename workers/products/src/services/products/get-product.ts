import type { ProductDetail } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { type CatalogVersion, catalogVersionOf, catalogVersionQuery } from "../catalog/version";
import { selectProducts, toDetail } from "./rows";

/** A product a shopper may see (archived → not found), with the catalog version, in one batch. */
export async function getProduct(
  ctx: ProductsContext,
  input: { id: string },
): Promise<{ version: CatalogVersion; product: ProductDetail }> {
  const { db } = ctx;
  const [version, rows] = await db.batch([
    catalogVersionQuery(db),
    selectProducts(db).where(and(eq(products.id, input.id), eq(products.status, "active"))),
  ]);
  const row = rows[0];
  if (!row) throw new NotFound("The product");
  return { version: catalogVersionOf(version), product: toDetail(row) };
}
