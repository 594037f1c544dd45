import { idPattern, type ListProductsQuery, type ProductPage, type ProductSort } from "@shop/contracts";
import { decodeCursor, Invalid, keysetPage } from "@shop/runtime";
import { and, asc, desc, eq, gt, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { products } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { type CatalogVersion, catalogVersionOf, catalogVersionQuery } from "../catalog/version";
import { marketQuery, requireMarket } from "../markets/pricing";
import { catalogFilters, pageFilters } from "./catalog-filters";
import { facetQueries, toFacets } from "./count-facets";
import { joinProductRelations, type ProductRow, productFields, toSummary } from "./rows";
import { ftsQuery } from "./search-query";

type Direction = "asc" | "desc";
type Order = { key: SQL; keyDir: Direction; idDir: Direction; keyType: "number" | "string" };
type Hit = ProductRow & { score: number };

/**
 * Full-text hits with their rank (lower is better). FTS5 allows bm25() only inside the
 * full-text query itself; the OFFSET keeps SQLite from flattening this CTE into the join
 * (the query builder writes no `AS MATERIALIZED`), so the query is run on its own.
 */
function hitsOf(db: Db, q: string) {
  return db
    .$with("hits", {
      productId: sql<string>`hit_product_id`.as("hit_product_id"),
      score: sql<number>`hit_score`.as("hit_score"),
    })
    .as(
      sql`SELECT product_id AS hit_product_id, bm25(products_fts, 0.0, 5.0, 1.0) AS hit_score FROM products_fts WHERE products_fts MATCH ${ftsQuery(q)} LIMIT -1 OFFSET 0`,
    );
}

/** Every order ends on the unique id, so keyset pages never skip or repeat a row. */
function orderOf(sort: ProductSort, score: SQL | undefined, price: SQL): Order {
  switch (sort) {
    case "relevance":
      return { key: score ?? sql`0`, keyDir: "asc", idDir: "asc", keyType: "number" };
    case "price_asc":
      return { key: price, keyDir: "asc", idDir: "asc", keyType: "number" };
    case "price_desc":
      return { key: price, keyDir: "desc", idDir: "asc", keyType: "number" };
    case "newest":
      return { key: sql`${products.createdAt}`, keyDir: "desc", idDir: "desc", keyType: "number" };
    case "name":
      return { key: sql`${products.name} COLLATE NOCASE`, keyDir: "asc", idDir: "asc", keyType: "string" };
  }
}

const PRODUCT_ID = idPattern("prd");

/** Cursor = [sort, last key, last id]; a cursor from another sort is refused. */
function readCursor(cursor: string, sort: ProductSort, order: Order): [string | number, string] {
  const [s, key, id, ...rest] = decodeCursor(cursor);
  if (s !== sort || rest.length > 0 || typeof key !== order.keyType || typeof id !== "string" || !PRODUCT_ID.test(id))
    throw new Invalid([{ path: "cursor", message: "is not a cursor this API returned for this sort" }], "query");
  return [key as string | number, id];
}

/** Rows after the cursor's (key, id) in the page's order. */
function after(order: Order, key: string | number, id: string): SQL | undefined {
  const keyAfter = order.keyDir === "asc" ? gt(order.key, key) : lt(order.key, key);
  const idAfter = order.idDir === "asc" ? gt(products.id, id) : lt(products.id, id);
  return or(keyAfter, and(eq(order.key, key), idAfter));
}

const lastKeyOf = (sort: ProductSort, r: Hit): string | number =>
  sort === "relevance" ? r.score : sort === "newest" ? r.createdAt : sort === "name" ? r.name : r.priceAmount;

/**
 * One catalog page and its facet counts in ONE D1 round trip: a batch of the catalog version
 * (it says which cache key the page belongs to), the page query and the three facet queries
 * (ADR 0026). Archived products never appear. Fetches limit + 1 rows to know whether there is
 * a next page.
 */
export async function listProducts(
  ctx: ProductsContext,
  query: ListProductsQuery,
): Promise<{ version: CatalogVersion; page: ProductPage }> {
  const { db } = ctx;
  const sort: ProductSort = query.sort ?? (query.q ? "relevance" : "newest");
  const hits = query.q ? hitsOf(db, query.q) : undefined;
  const filters = catalogFilters(db, query);
  const order = orderOf(sort, hits ? sql`${hits.score}` : undefined, filters.price);

  const where: (SQL | undefined)[] = pageFilters(filters);
  if (query.cursor) where.push(after(order, ...readCursor(query.cursor, sort, order)));

  const direction = (d: Direction) => (d === "asc" ? asc : desc);
  let page = (hits ? db.with(hits) : db)
    .select({ ...productFields(query.market), score: hits ? hits.score : sql<number>`0`.as("hit_score") })
    .from(products)
    .$dynamic();
  if (hits) page = page.innerJoin(hits, eq(hits.productId, products.id));
  page = joinProductRelations(page)
    .where(and(...where))
    .orderBy(direction(order.keyDir)(order.key), direction(order.idDir)(products.id))
    .limit(query.limit + 1);

  const [categoryCounts, priceAndStock, optionCounts] = facetQueries(db, filters, query.category);
  const [version, market, rows, categoryRows, counts, optionRows] = await db.batch([
    catalogVersionQuery(db),
    marketQuery(db, query.market),
    page,
    categoryCounts,
    priceAndStock,
    optionCounts,
  ]);
  requireMarket(market, query.market);
  const { rows: items, nextCursor } = keysetPage(rows, query.limit, (r) => [sort, lastKeyOf(sort, r), r.id]);
  return {
    version: catalogVersionOf(version),
    page: {
      items: items.map(toSummary),
      nextCursor,
      facets: toFacets(categoryRows, counts[0], optionRows, filters.options),
    },
  };
}
