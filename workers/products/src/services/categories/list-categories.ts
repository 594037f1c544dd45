import type { Category } from "@shop/contracts";
import { asc, sql } from "drizzle-orm";
import { categories } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { type CatalogVersion, catalogVersionOf, catalogVersionQuery } from "../catalog/version";

/** All categories by name, with the catalog version, in one batch. */
export async function listCategories(ctx: ProductsContext): Promise<{ version: CatalogVersion; items: Category[] }> {
  const { db } = ctx;
  const [version, items] = await db.batch([
    catalogVersionQuery(db),
    db
      .select({ id: categories.id, slug: categories.slug, name: categories.name })
      .from(categories)
      .orderBy(sql`${categories.name} COLLATE NOCASE`, asc(categories.id)),
  ]);
  return { version: catalogVersionOf(version), items };
}
