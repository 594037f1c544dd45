import { type CatalogFacets, PRICE_BANDS, PriceBand } from "@shop/contracts";
import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { categories, products } from "../../db/schema";
import { variantSoldIn } from "../markets/pricing";
import {
  type CatalogFilters,
  filtersBut,
  inBand,
  type OptionFilters,
  stockFilter,
  variantAvailable,
  variantHas,
} from "./catalog-filters";

const BANDS = PRICE_BANDS.map((text) => ({ text, band: PriceBand.parse(text) }));

/** 1 when the condition holds, summed per row set; NULL-safe (an empty set sums to 0). */
const countWhere = (cond: SQL | undefined, alias: string) =>
  sql<number>`COALESCE(SUM(CASE WHEN ${cond ?? sql`1`} THEN 1 ELSE 0 END), 0)`.as(alias);

/**
 * Category counts: every category with a match under the other filters, and the ones the
 * query names even without one (so a shopper can untick them). The products join carries the
 * filters, so a category without a match still has its row (count 0) to keep or drop.
 */
function categoryCounts(db: Db, f: CatalogFilters, named: string[] | undefined) {
  const count = sql<number>`COUNT(${products.id})`;
  const keep = named?.length
    ? or(sql`${count} > 0`, inArray(categories.slug, named), inArray(categories.id, named))
    : sql`${count} > 0`;
  return db
    .select({ value: categories.slug, label: categories.name, count: count.as("facet_count") })
    .from(categories)
    .leftJoin(products, and(eq(products.categoryId, categories.id), ...filtersBut(f, "category")))
    .groupBy(categories.id)
    .having(keep)
    .orderBy(asc(categories.name), asc(categories.id));
}

/**
 * Price bands and in-stock in one pass over the products the two share (the base, the search
 * and the category filter): each band's count applies the in-stock filter, in-stock's the price one.
 */
function priceAndStockCounts(db: Db, f: CatalogFilters) {
  const shared = [...f.base, f.search, f.facets.category, f.facets.option];
  const bands = Object.fromEntries(
    BANDS.map(({ band }, i) => [
      `band${i}`,
      countWhere(and(inBand(band, f.price), f.facets.inStock), `facet_band_${i}`),
    ]),
  );
  return db
    .select({
      ...bands,
      inStock: countWhere(and(stockFilter(f.options, true, f.market), f.facets.price), "facet_in_stock"),
      soldOut: countWhere(and(stockFilter(f.options, false, f.market), f.facets.price), "facet_sold_out"),
    })
    .from(products)
    .where(and(...shared));
}

/**
 * Option value counts, one statement for every option name: per (product, name, value) of its
 * active variants, whether a variant with that value matches the OTHER option filters
 * (`matched`) and whether such a variant is in stock (`stocked`); then products per name and
 * value under the in-stock filter. So a name's counts apply every filter but its own, and the
 * in-stock filter asks the same variant (ADR 0026, 0029). Names and values come in the
 * products' display order (their average position in `products.options`).
 */
function optionCounts(db: Db, f: CatalogFilters) {
  const others = (list: OptionFilters) =>
    sql.join(
      list.map(([name, values]) => sql` AND (o.key = ${name} OR ${variantHas(name, values)})`),
      sql``,
    );
  const productFilters = and(...f.base, f.search, f.facets.category, f.facets.price) ?? sql`1`;
  const kept =
    f.inStock === undefined ? sql`matched = 1` : f.inStock ? sql`stocked = 1` : sql`matched = 1 AND stocked = 0`;
  // Per (product, name, value): matched/stocked over its variants, then the name's and value's
  // positions in the product's options, worked out once per group (not once per variant).
  const perProduct = sql`(
      SELECT g.product_id, g.name, g.value, g.matched, g.stocked,
        (SELECT po.key FROM json_each(g.options) po WHERE json_extract(po.value, '$.name') = g.name) AS name_pos,
        (SELECT ov.key FROM json_each(g.options) po, json_each(po.value, '$.values') ov
              WHERE json_extract(po.value, '$.name') = g.name AND ov.value = g.value) AS value_pos
      FROM (
        SELECT v.product_id, ${products.options} AS options, o.key AS name, o.value AS value,
          MAX(CASE WHEN 1${others(f.options)} THEN 1 ELSE 0 END) AS matched,
          MAX(CASE WHEN ${variantAvailable} > 0${others(f.options)} THEN 1 ELSE 0 END) AS stocked
        FROM ${products} JOIN product_variants v ON v.product_id = ${products.id} AND v.status = 'active' AND ${variantSoldIn(f.market)}, json_each(v.options) o
        WHERE ${productFilters}
        GROUP BY v.product_id, o.key, o.value
      ) AS g
    ) AS option_matches`;
  return db
    .select({
      name: sql<string>`name`,
      value: sql<string>`value`,
      count: sql<number>`COUNT(*)`,
      name_pos: sql<number | null>`AVG(name_pos)`,
      value_pos: sql<number | null>`AVG(value_pos)`,
    })
    .from(perProduct)
    .where(kept)
    .groupBy(sql`name, value`);
}

/** The facet queries, to run in the page's batch (one D1 round trip for page and counts). */
export function facetQueries(db: Db, f: CatalogFilters, named: string[] | undefined) {
  return [categoryCounts(db, f, named), priceAndStockCounts(db, f), optionCounts(db, f)] as const;
}

type CategoryRow = { value: string; label: string; count: number };
type OptionRow = { name: string; value: string; count: number; name_pos: number | null; value_pos: number | null };

const byPosition = <T extends { pos: number; key: string }>(a: T, b: T) =>
  a.pos - b.pos || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Option counts grouped by name, with the values the query names kept even without a match:
 * names and values in the products' display order (average position), then by text.
 */
function toOptionFacets(rows: OptionRow[], named: OptionFilters): CatalogFacets["options"] {
  type Name = { key: string; pos: number; weight: number; values: { key: string; pos: number; count: number }[] };
  const byName = new Map<string, Name>();
  const entry = (name: string) => {
    const known = byName.get(name) ?? { key: name, pos: 0, weight: 0, values: [] };
    byName.set(name, known);
    return known;
  };
  for (const r of rows) {
    const e = entry(r.name);
    // The name's position: its average over every product counted (weighted by the counts).
    e.pos = (e.pos * e.weight + Number(r.name_pos ?? 99) * Number(r.count)) / (e.weight + Number(r.count));
    e.weight += Number(r.count);
    e.values.push({ key: String(r.value), pos: Number(r.value_pos ?? 99), count: Number(r.count) });
  }
  for (const [name, values] of named) {
    const e = entry(name);
    if (e.weight === 0) e.pos = 99;
    for (const value of values)
      if (!e.values.some((v) => v.key === value)) e.values.push({ key: value, pos: 99, count: 0 });
  }
  return [...byName.values()].sort(byPosition).map((n) => ({
    name: n.key,
    values: n.values.sort(byPosition).map((v) => ({ value: v.key, count: v.count })),
  }));
}

export function toFacets(
  categoryRows: CategoryRow[],
  counts: Record<string, number> | undefined,
  optionRows: OptionRow[],
  named: OptionFilters,
): CatalogFacets {
  return {
    category: categoryRows.map((r) => ({ value: r.value, label: r.label, count: Number(r.count) })),
    price: BANDS.map(({ text }, i) => ({ band: text, count: Number(counts?.[`band${i}`] ?? 0) })),
    inStock: { true: Number(counts?.inStock ?? 0), false: Number(counts?.soldOut ?? 0) },
    options: toOptionFacets(optionRows, named),
  };
}
