import { type CatalogFacets, PRICE_BANDS, PriceBand } from "@shop/contracts";
import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { categories, products } from "../../db/schema";
import { availableUnits, type CatalogFilters, filtersBut, inBand } from "./catalog-filters";

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
  const shared = [...f.base, f.search, f.facets.category];
  const bands = Object.fromEntries(
    BANDS.map(({ band }, i) => [
      `band${i}`,
      countWhere(and(inBand(band, f.price), f.facets.inStock), `facet_band_${i}`),
    ]),
  );
  return db
    .select({
      ...bands,
      inStock: countWhere(and(sql`${availableUnits} > 0`, f.facets.price), "facet_in_stock"),
      soldOut: countWhere(and(sql`${availableUnits} <= 0`, f.facets.price), "facet_sold_out"),
    })
    .from(products)
    .where(and(...shared));
}

/** The facet queries, to run in the page's batch (one D1 round trip for page and counts). */
export function facetQueries(db: Db, f: CatalogFilters, named: string[] | undefined) {
  return [categoryCounts(db, f, named), priceAndStockCounts(db, f)] as const;
}

type CategoryRow = { value: string; label: string; count: number };

export function toFacets(categoryRows: CategoryRow[], counts: Record<string, number> | undefined): CatalogFacets {
  return {
    category: categoryRows.map((r) => ({ value: r.value, label: r.label, count: Number(r.count) })),
    price: BANDS.map(({ text }, i) => ({ band: text, count: Number(counts?.[`band${i}`] ?? 0) })),
    inStock: { true: Number(counts?.inStock ?? 0), false: Number(counts?.soldOut ?? 0) },
  };
}
