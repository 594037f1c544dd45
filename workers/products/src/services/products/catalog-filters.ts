import type { ListProductsQuery, PriceBand } from "@shop/contracts";
import { and, eq, gte, inArray, isNotNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { categories, products } from "../../db/schema";
import { productCurrency, productPrice } from "../markets/pricing";
import { ftsQuery } from "./search-query";

/**
 * The filters of a catalog query as SQL over `products` alone (no join needed), so the page
 * and every facet count combine them freely (ADR 0026):
 * - `base`: what every count and the page share (active, currency, price range);
 * - `search`: the search words (the page joins the full-text hits instead, for their rank);
 * - one predicate per facet: the page applies all of them, a facet's count all but its own.
 * A later facet (option values such as size or colour) is one more entry in `facets`.
 */
export type CatalogFilters = {
  /** The products' price in the query's market (ADR 0032). */
  price: SQL;
  base: SQL[];
  search?: SQL;
  facets: { category?: SQL; price?: SQL; inStock?: SQL };
};

export type FacetName = keyof CatalogFilters["facets"];

/** `from ≤ price < to` (no upper end when `to` is null). */
export function inBand(band: PriceBand, price: SQL): SQL {
  const from = gte(price, band.from);
  return band.to === null ? from : (and(from, lt(price, band.to)) as SQL);
}

/** Units a shopper can buy now, over the product's variants on sale (0 without any). */
export const availableUnits = sql<number>`COALESCE((SELECT SUM(i.on_hand - i.reserved) FROM inventory i JOIN product_variants v ON v.id = i.variant_id WHERE i.product_id = ${products.id} AND v.status = 'active'), 0)`;

export function catalogFilters(db: Db, query: ListProductsQuery): CatalogFilters {
  const price = productPrice(query.market);
  const base: SQL[] = [eq(products.status, "active")];
  // Sold in the market: some variant on sale has a price there (always so in the default market).
  if (query.market !== undefined) base.push(isNotNull(price));
  const search = query.q
    ? sql`${products.id} IN (SELECT product_id FROM products_fts WHERE products_fts MATCH ${ftsQuery(query.q)})`
    : undefined;
  if (query.minPrice !== undefined) base.push(gte(price, query.minPrice));
  if (query.maxPrice !== undefined) base.push(lte(price, query.maxPrice));
  if (query.currency) base.push(eq(productCurrency(query.market), query.currency));

  const facets: CatalogFilters["facets"] = {};
  if (query.category) {
    const named = or(inArray(categories.id, query.category), inArray(categories.slug, query.category));
    facets.category = inArray(products.categoryId, db.select({ id: categories.id }).from(categories).where(named));
  }
  if (query.price) facets.price = or(...query.price.map((b) => inBand(b, price)));
  if (query.inStock !== undefined)
    facets.inStock = query.inStock ? sql`${availableUnits} > 0` : sql`${availableUnits} <= 0`;
  return { price, base, search, facets };
}

/** Everything the page applies but the search words (its join with the hits applies them). */
export const pageFilters = (f: CatalogFilters): SQL[] => [...f.base, ...Object.values(f.facets)];

/** What the counts of facet `name` apply: the base, the search and every other facet's filter. */
export function filtersBut(f: CatalogFilters, name: FacetName): (SQL | undefined)[] {
  return [...f.base, f.search, ...Object.entries(f.facets).flatMap(([k, v]) => (k === name ? [] : [v]))];
}

const bandText = (b: PriceBand) => `${b.from}-${b.to ?? ""}`;

/**
 * The query in one canonical form, for the cache key: lists sorted, defaults written out, so
 * `category=b,a&limit=20` and `category=a,b` read the same entry.
 */
export function canonicalListQuery(query: ListProductsQuery): string {
  const params = new URLSearchParams();
  const add = (k: string, v: string | number | boolean | undefined) => v !== undefined && params.set(k, String(v));
  add("q", query.q);
  add("category", query.category && [...query.category].sort().join(","));
  add("price", query.price?.map(bandText).sort().join(","));
  add("inStock", query.inStock);
  add("minPrice", query.minPrice);
  add("maxPrice", query.maxPrice);
  add("currency", query.currency);
  add("market", query.market);
  add("sort", query.sort);
  add("limit", query.limit);
  add("cursor", query.cursor);
  params.sort();
  return `/products?${params}`;
}
