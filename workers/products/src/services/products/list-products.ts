import { idPattern, type ListProductsQuery, type ProductPage, type ProductSort } from "@shop/contracts";
import { AppError, decodeCursor, keysetPage } from "@shop/runtime";
import { type CatalogVersion, catalogVersionOf, catalogVersionSql } from "../catalog/version";
import { PRODUCT_COLUMNS, PRODUCT_JOINS, type ProductRow, toSummary } from "./rows";
import { ftsQuery } from "./search-query";

type Order = { key: string; keyDir: "asc" | "desc"; idDir: "asc" | "desc"; keyType: "number" | "string" };

/** Every order ends on the unique id, so keyset pages never skip or repeat a row. */
const ORDERS: Record<ProductSort, Order> = {
  relevance: { key: "h.score", keyDir: "asc", idDir: "asc", keyType: "number" },
  price_asc: { key: "p.price_amount", keyDir: "asc", idDir: "asc", keyType: "number" },
  price_desc: { key: "p.price_amount", keyDir: "desc", idDir: "asc", keyType: "number" },
  newest: { key: "p.created_at", keyDir: "desc", idDir: "desc", keyType: "number" },
  name: { key: "p.name COLLATE NOCASE", keyDir: "asc", idDir: "asc", keyType: "string" },
};

const PRODUCT_ID = idPattern("prd");

function badCursor(): AppError {
  return new AppError(400, "validation_failed", "Invalid query: cursor", [
    { path: "cursor", message: "is not a cursor this API returned for this sort" },
  ]);
}

/** Cursor = [sort, last key, last id]; a cursor from another sort is refused. */
function readCursor(cursor: string, sort: ProductSort, order: Order): [string | number, string] {
  const [s, key, id, ...rest] = decodeCursor(cursor);
  if (s !== sort || rest.length > 0 || typeof key !== order.keyType || typeof id !== "string" || !PRODUCT_ID.test(id))
    throw badCursor();
  return [key as string | number, id];
}

/**
 * One catalog page in ONE D1 round trip: a batch of the catalog version and the page
 * query (the version says which cache key the page belongs to). Archived products
 * never appear. Fetches limit + 1 rows to know whether there is a next page.
 */
export async function listProducts(
  db: D1Database,
  query: ListProductsQuery,
): Promise<{ version: CatalogVersion; page: ProductPage }> {
  const sort: ProductSort = query.sort ?? (query.q ? "relevance" : "newest");
  const order = ORDERS[sort];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `?${params.length}`;
  };

  let from = "products p";
  let head = "";
  let score = "";
  if (query.q) {
    // MATERIALIZED keeps bm25() inside the full-text query, where FTS5 allows it.
    head = `WITH hits AS MATERIALIZED (
      SELECT product_id, bm25(products_fts, 0.0, 5.0, 1.0) AS score FROM products_fts WHERE products_fts MATCH ${p(ftsQuery(query.q))}
    ) `;
    from = "hits h JOIN products p ON p.id = h.product_id";
    score = ", h.score AS score";
  }
  const where = ["p.status = 'active'"];
  if (query.category) {
    const ref = p(query.category);
    where.push(`p.category_id = (SELECT id FROM categories WHERE id = ${ref} OR slug = ${ref})`);
  }
  if (query.minPrice !== undefined) where.push(`p.price_amount >= ${p(query.minPrice)}`);
  if (query.maxPrice !== undefined) where.push(`p.price_amount <= ${p(query.maxPrice)}`);
  if (query.currency) where.push(`p.currency = ${p(query.currency)}`);
  if (query.cursor) {
    const [key, id] = readCursor(query.cursor, sort, order);
    const keyOp = order.keyDir === "asc" ? ">" : "<";
    const idOp = order.idDir === "asc" ? ">" : "<";
    const k = p(key);
    where.push(`(${order.key} ${keyOp} ${k} OR (${order.key} = ${k} AND p.id ${idOp} ${p(id)}))`);
  }
  const sql = `${head}SELECT ${PRODUCT_COLUMNS}${score}
    FROM ${from} ${PRODUCT_JOINS}
    WHERE ${where.join(" AND ")}
    ORDER BY ${order.key} ${order.keyDir.toUpperCase()}, p.id ${order.idDir.toUpperCase()}
    LIMIT ${p(query.limit + 1)}`;

  const [versionResult, pageResult] = await db.batch([catalogVersionSql(db), db.prepare(sql).bind(...params)]);
  const rows = (pageResult?.results ?? []) as (ProductRow & { score?: number })[];
  const lastKey = (r: ProductRow & { score?: number }): string | number =>
    sort === "relevance"
      ? (r.score ?? 0)
      : sort === "newest"
        ? r.created_at
        : sort === "name"
          ? r.name
          : r.price_amount;
  const { rows: items, nextCursor } = keysetPage(rows, query.limit, (r) => [sort, lastKey(r), r.id]);
  return { version: catalogVersionOf(versionResult), page: { items: items.map(toSummary), nextCursor } };
}
