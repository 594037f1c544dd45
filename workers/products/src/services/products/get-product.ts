import type { ProductDetail } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { type CatalogVersion, catalogVersionOf, catalogVersionQuery } from "../catalog/version";
import { marketQuery, requireMarket } from "../markets/pricing";
import { selectProducts, toDetail } from "./rows";

/** A product a shopper may see (archived → not found), in the market's prices, with the catalog version, in one batch. */
export async function getProduct(
  ctx: ProductsContext,
  input: { id: string; market?: string },
): Promise<{ version: CatalogVersion; product: ProductDetail }> {
  const { db } = ctx;
  const [version, market, rows] = await db.batch([
    catalogVersionQuery(db),
    marketQuery(db, input.market),
    selectProducts(db, input.market).where(and(eq(products.id, input.id), eq(products.status, "active"))),
  ]);
  requireMarket(market, input.market);
  const row = rows[0];
  // A product with no variant priced in the market is not sold there (ADR 0032).
  if (!row || row.priceAmount === null) throw new NotFound("The product");
  return { version: catalogVersionOf(version), product: toDetail(row) };
}
