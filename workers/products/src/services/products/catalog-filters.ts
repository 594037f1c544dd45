import type { ListProductsQuery, PriceBand } from "@shop/contracts";
import { and, eq, gte, inArray, isNotNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { categories, products } from "../../db/schema";
import { productCurrency, productPrice, variantSoldIn } from "../markets/pricing";
import { ftsQuery } from "./search-query";

/**
 * The filters of a catalog query as SQL over `products` alone (no join needed), so the page
 * and every facet count combine them freely (ADR 0026):
 * - `base`: what every count and the page share (active, currency, price range);
 * - `search`: the search words (the page joins the full-text hits instead, for their rank);
 * - one predicate per facet: the page applies all of them, a facet's count all but its own.
 * Option values (size, colour) are one more entry, `option`: an active variant matching every
 * named option; with `inStock` the stock filter asks that same variant to be in stock.
 */
export type CatalogFilters = {
  /** The products' price in the query's market (ADR 0032). */
  price: SQL;
  base: SQL[];
  search?: SQL;
  facets: { category?: SQL; price?: SQL; inStock?: SQL; option?: SQL };
  /** The option filters by name (values OR-ed), in the query's canonical order. */
  options: OptionFilters;
  inStock?: boolean;
  /** The query's market (undefined: the default market, every variant on sale). */
  market?: string;
};

export type OptionFilters = [name: string, values: string[]][];

export type FacetName = keyof CatalogFilters["facets"];

/** `from ≤ price < to` (no upper end when `to` is null). */
export function inBand(band: PriceBand, price: SQL): SQL {
  const from = gte(price, band.from);
  return band.to === null ? from : (and(from, lt(price, band.to)) as SQL);
}

/** Units a shopper in the market can buy now, over the product's variants on sale there (0 without any). */
export const availableUnits = (market: string | undefined) =>
  sql<number>`COALESCE((SELECT SUM(i.on_hand - i.reserved) FROM inventory i JOIN product_variants v ON v.id = i.variant_id WHERE i.product_id = ${products.id} AND v.status = 'active' AND ${variantSoldIn(market)}), 0)`;

/** Groups `name:value` filters by name: names sorted, values sorted (a canonical order). */
export function groupOptions(option: ListProductsQuery["option"]): OptionFilters {
  const byName = new Map<string, Set<string>>();
  for (const { name, value } of option ?? []) byName.set(name, (byName.get(name) ?? new Set()).add(value));
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => [n, [...v].sort()]);
}

/** The variant (alias `v`) has one of `values` for option `name`. */
export const variantHas = (name: string, values: string[]): SQL =>
  sql`EXISTS (SELECT 1 FROM json_each(v.options) x WHERE x.key = ${name} AND x.value IN (${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}))`;

/** Units of variant `v` a shopper can buy now. */
export const variantAvailable = sql`COALESCE((SELECT i.on_hand - i.reserved FROM inventory i WHERE i.variant_id = v.id), 0)`;

/**
 * The product has an active variant sold in the market matching every option filter (and in
 * stock, when asked).
 */
function matchingVariant(options: OptionFilters, inStock: boolean, market: string | undefined): SQL {
  const conds = [variantSoldIn(market), ...options.map(([name, values]) => variantHas(name, values))];
  if (inStock) conds.push(sql`${variantAvailable} > 0`);
  return sql`EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = ${products.id} AND v.status = 'active'${sql.join(
    conds.map((c) => sql` AND ${c}`),
  )})`;
}

/**
 * In stock (or sold out) for this query: without option filters the product has units to sell;
 * with them, a variant matching them does — "size M in stock", not "some size in stock".
 */
export function stockFilter(options: OptionFilters, inStock: boolean, market: string | undefined): SQL {
  if (options.length === 0) return inStock ? sql`${availableUnits(market)} > 0` : sql`${availableUnits(market)} <= 0`;
  const stocked = matchingVariant(options, true, market);
  return inStock ? stocked : sql`NOT ${stocked}`;
}

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
  const options = groupOptions(query.option);
  if (options.length > 0) facets.option = matchingVariant(options, false, query.market);
  if (query.inStock !== undefined) facets.inStock = stockFilter(options, query.inStock, query.market);
  return { price, base, search, facets, options, inStock: query.inStock, market: query.market };
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
  add(
    "option",
    groupOptions(query.option)
      .flatMap(([n, vs]) => vs.map((v) => `${n}:${v}`))
      .join(",") || undefined,
  );
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
