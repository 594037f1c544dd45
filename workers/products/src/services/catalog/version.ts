/** Identifies one state of the catalog; cache keys and ETags embed it. */
export type CatalogVersion = { version: number; stamp: string };

export function catalogVersionSql(db: D1Database): D1PreparedStatement {
  return db.prepare("SELECT version, stamp FROM catalog_state WHERE id = 1");
}

export function catalogVersionOf(result: D1Result<unknown> | undefined): CatalogVersion {
  const row = result?.results?.[0] as CatalogVersion | undefined;
  if (!row) throw new Error("catalog_state row is missing (migrations not applied?)");
  return row;
}

/** One tiny point read: the only query a cache hit costs. */
export async function readCatalogVersion(db: D1Database): Promise<CatalogVersion> {
  const row = await catalogVersionSql(db).first<CatalogVersion>();
  if (!row) throw new Error("catalog_state row is missing (migrations not applied?)");
  return row;
}
