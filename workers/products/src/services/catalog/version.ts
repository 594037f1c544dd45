import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { catalogState } from "../../db/schema";
import type { ProductsContext } from "../../env";

/** Identifies one state of the catalog; cache keys and ETags embed it. */
export type CatalogVersion = Pick<typeof catalogState.$inferSelect, "version" | "stamp">;

/** The version read, as the first statement of a read batch. */
export function catalogVersionQuery(db: Db) {
  return db
    .select({ version: catalogState.version, stamp: catalogState.stamp })
    .from(catalogState)
    .where(eq(catalogState.id, 1));
}

export function catalogVersionOf(rows: CatalogVersion[] | undefined): CatalogVersion {
  const row = rows?.[0];
  if (!row) throw new Error("catalog_state row is missing (migrations not applied?)");
  return row;
}

/** One tiny point read: the only query a cache hit costs. */
export async function readCatalogVersion(ctx: ProductsContext): Promise<CatalogVersion> {
  return catalogVersionOf(await catalogVersionQuery(ctx.db));
}
