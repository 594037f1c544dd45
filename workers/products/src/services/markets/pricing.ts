import type { Currency } from "@shop/contracts";
import { Invalid } from "@shop/runtime";
import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { markets, productMarketPrices, products } from "../../db/schema";

/**
 * Prices in a market, as SQL (ADR 0032). The default market's prices are the variants' own
 * (`price_amount`, in the product's currency); any other market's are its `variant_prices` rows,
 * in its currency, and a variant without one is not sold there. `market` undefined means the
 * default market, read exactly as before markets (the columns themselves, their indexes too).
 */
const isDefault = (market: string) => sql`EXISTS (SELECT 1 FROM ${markets} WHERE code = ${market} AND is_default = 1)`;

/**
 * A product's price in the market: the default variant's there, else its cheapest variant on sale
 * there; NULL when no variant on sale has a price in the market (the product is not sold there).
 * A non-default market's is a key lookup in `product_market_prices`, which triggers keep equal
 * to that rule (ADR 0036), so a page can filter, sort and count by it cheaply.
 */
export function productPrice(market: string | undefined): SQL<number | null> {
  if (market === undefined) return sql<number>`${products.priceAmount}`;
  return sql<
    number | null
  >`(CASE WHEN ${isDefault(market)} THEN ${products.priceAmount} ELSE (SELECT pmp.amount FROM ${productMarketPrices} pmp WHERE pmp.product_id = ${products.id} AND pmp.market = ${market}) END)`;
}

/**
 * The variant (alias `v`) can be sold in the market: always in the default market, elsewhere
 * when it has a price there. Stock counts in a market ask this, so a product is not "available"
 * in a market through a variant the market cannot buy.
 */
export function variantSoldIn(market: string | undefined): SQL {
  if (market === undefined) return sql`1`;
  return sql`(${isDefault(market)} OR EXISTS (SELECT 1 FROM variant_prices vpm WHERE vpm.variant_id = v.id AND vpm.market = ${market}))`;
}

/** The currency a product's prices are in, in the market. */
export function productCurrency(market: string | undefined): SQL<Currency> {
  if (market === undefined) return sql<Currency>`${products.currency}`;
  return sql<Currency>`(CASE WHEN ${isDefault(market)} THEN ${products.currency} ELSE (SELECT currency FROM ${markets} WHERE code = ${market}) END)`;
}

/** A variant's price in the market (`variant` is the SQL naming its row's alias, e.g. `pv`). */
export function variantPrice(market: string | undefined, variant: string): SQL<number | null> {
  const own = sql.raw(`${variant}.price_amount`);
  if (market === undefined) return sql<number>`${own}`;
  return sql<
    number | null
  >`(CASE WHEN ${isDefault(market)} THEN ${own} ELSE (SELECT amount FROM variant_prices WHERE variant_id = ${sql.raw(`${variant}.id`)} AND market = ${market}) END)`;
}

/** One statement for a read's batch: the market's row (none for an unknown market). */
export function marketQuery(db: Db, market: string | undefined) {
  return db
    .select({ code: markets.code })
    .from(markets)
    .where(market === undefined ? eq(markets.isDefault, true) : eq(markets.code, market));
}

/** An unknown market is the caller's mistake (the gateway only sends markets it knows). */
export function requireMarket(rows: readonly { code: string }[], market: string | undefined): void {
  if (market !== undefined && rows.length === 0)
    throw new Invalid([{ path: "market", message: "is not a market of this shop" }], "query");
}
