import type {
  CreateMarketBody,
  Currency,
  Market,
  MarketPrice,
  SetMarketPricesBody,
  UpdateMarketBody,
} from "@shop/contracts";
import { Conflict, Invalid, IsolateMemo, NotFound } from "@shop/runtime";
import { and, asc, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { failureText, inJson } from "../../db/client";
import { markets, productVariants, variantPrices } from "../../db/schema";
import type { ProductsContext } from "../../env";
import { bumpCatalogVersion, bumpedVersion } from "../catalog/bump-version";
import type { CatalogVersion } from "../catalog/version";
import { productForVariants } from "../variants/product-options";

type MarketRow = typeof markets.$inferSelect;

const toMarket = (r: MarketRow): Market => ({
  code: r.code,
  name: r.name,
  currency: r.currency,
  countries: JSON.parse(r.countries) as string[],
  default: r.isDefault,
});

/** Every market, the default one first. */
export async function listMarkets(ctx: Pick<ProductsContext, "db">): Promise<Market[]> {
  const rows = await ctx.db
    .select()
    .from(markets)
    .orderBy(sql`${markets.isDefault} DESC`, asc(markets.position), asc(markets.code));
  return rows.map(toMarket);
}

/**
 * The market codes, as this isolate last read them (at most CODES_MEMO_MS ago): RPC calls naming
 * a market check it against them without a round trip of their own each time.
 */
const CODES_MEMO_MS = 30_000;
const codesMemo = new IsolateMemo<string[]>(CODES_MEMO_MS);

export function listMarketCodes(ctx: Pick<ProductsContext, "db">): Promise<string[]> {
  return codesMemo.get(async () => (await ctx.db.select({ code: markets.code }).from(markets)).map((r) => r.code));
}

/** A country belongs to one market at most: the one that lists it decides a shopper's currency. */
function claimedElsewhere(all: readonly Market[], code: string, countries: readonly string[]) {
  const taken = new Map(all.filter((m) => m.code !== code).flatMap((m) => m.countries.map((c) => [c, m.code])));
  return countries
    .filter((c) => taken.has(c))
    .map((c) => ({ path: "countries", message: `${c} is in ${taken.get(c)}` }));
}

function countryConflict(errors: { path: string; message: string }[]): Conflict {
  return new Conflict("conflict", "A country belongs to one market at most.", errors);
}

export async function createMarket(
  ctx: ProductsContext,
  body: CreateMarketBody,
): Promise<{ market: Market; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const all = await listMarkets(ctx);
  if (all.some((m) => m.code === body.code))
    throw new Conflict("conflict", "A market with this code exists.", [{ path: "code", message: "is taken" }]);
  const clash = claimedElsewhere(all, body.code, body.countries);
  if (clash.length > 0) throw countryConflict(clash);
  const now = ctx.meta.now;
  const [rows, bumped] = await db
    .batch([
      db
        .insert(markets)
        .values({
          code: body.code,
          name: body.name,
          currency: body.currency,
          countries: JSON.stringify(body.countries),
          isDefault: false,
          position: all.length,
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
      bumpCatalogVersion(db),
    ])
    .catch((err: unknown) => {
      if (/UNIQUE constraint failed: markets\.code/.test(failureText(err)))
        throw new Conflict("conflict", "A market with this code exists.", [{ path: "code", message: "is taken" }]);
      throw err;
    });
  codesMemo.forget();
  return { market: toMarket(rows[0] as MarketRow), catalogVersion: bumpedVersion(bumped, now) };
}

export async function updateMarket(
  ctx: ProductsContext,
  input: { code: string; patch: UpdateMarketBody },
): Promise<{ market: Market; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { code, patch } = input;
  const all = await listMarkets(ctx);
  if (!all.some((m) => m.code === code)) throw new NotFound("The market");
  if (patch.countries) {
    const clash = claimedElsewhere(all, code, patch.countries);
    if (clash.length > 0) throw countryConflict(clash);
  }
  const now = ctx.meta.now;
  const [rows, bumped] = await db.batch([
    db
      .update(markets)
      .set({
        name: patch.name,
        countries: patch.countries && JSON.stringify(patch.countries),
        updatedAt: now,
      })
      .where(eq(markets.code, code))
      .returning(),
    bumpCatalogVersion(db),
  ]);
  const row = rows[0];
  if (!row) throw new NotFound("The market");
  return { market: toMarket(row), catalogVersion: bumpedVersion(bumped, now) };
}

/** A product's prices in the markets other than the default one, per variant. */
function pricesQuery(ctx: Pick<ProductsContext, "db">, productId: string) {
  return ctx.db
    .select({
      variantId: variantPrices.variantId,
      market: variantPrices.market,
      amount: variantPrices.amount,
      currency: sql<Currency>`${markets.currency}`.as("market_currency"),
    })
    .from(variantPrices)
    .innerJoin(markets, eq(markets.code, variantPrices.market))
    .innerJoin(productVariants, eq(productVariants.id, variantPrices.variantId))
    .where(eq(productVariants.productId, productId))
    .orderBy(asc(productVariants.position), asc(productVariants.id), asc(markets.position));
}

export async function listMarketPrices(ctx: ProductsContext, productId: string): Promise<MarketPrice[]> {
  await productForVariants(ctx.db, productId);
  return pricesQuery(ctx, productId);
}

/**
 * Sets (or, with `amount: null`, removes) a product's variants' prices in markets other than the
 * default one, in one batch with the catalog bump. A line without a variant sets every variant of
 * the product. The default market's prices are the variants' own (PATCH the variant).
 */
export async function setMarketPrices(
  ctx: ProductsContext,
  input: { productId: string; body: SetMarketPricesBody },
): Promise<{ prices: MarketPrice[]; catalogVersion: CatalogVersion | undefined }> {
  const { db } = ctx;
  const { productId, body } = input;
  await productForVariants(db, productId);
  const [all, variants] = await db.batch([
    db.select().from(markets),
    db.select({ id: productVariants.id }).from(productVariants).where(eq(productVariants.productId, productId)),
  ]);
  const byCode = new Map(all.map((m) => [m.code, m]));
  const ids = new Set(variants.map((v) => v.id));
  const errors: { path: string; message: string }[] = [];
  body.prices.forEach((p, i) => {
    const market = byCode.get(p.market);
    if (!market) errors.push({ path: `prices.${i}.market`, message: "is not a market of this shop" });
    else if (market.isDefault)
      errors.push({ path: `prices.${i}.market`, message: "is the default market: its prices are the variants' own" });
    if (p.variantId !== undefined && !ids.has(p.variantId))
      errors.push({ path: `prices.${i}.variantId`, message: "is not a variant of this product" });
  });
  if (errors.length > 0) throw new Invalid(errors, "body");

  const now = ctx.meta.now;
  const statements = body.prices.flatMap((p): BatchItem<"sqlite">[] => {
    const targets = p.variantId === undefined ? [...ids] : [p.variantId];
    if (p.amount === null)
      return [
        db
          .delete(variantPrices)
          .where(and(eq(variantPrices.market, p.market), inJson(variantPrices.variantId, targets))),
      ];
    return targets.map((variantId) =>
      db
        .insert(variantPrices)
        .values({ variantId, market: p.market, amount: p.amount as number, updatedAt: now })
        .onConflictDoUpdate({
          target: [variantPrices.variantId, variantPrices.market],
          set: { amount: p.amount as number, updatedAt: now },
        }),
    );
  });
  const writes: BatchItem<"sqlite">[] = [...statements, bumpCatalogVersion(db), pricesQuery(ctx, productId)];
  const results = (await db.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown[];
  const bumped = results.at(-2) as CatalogVersion[];
  return { prices: results.at(-1) as MarketPrice[], catalogVersion: bumpedVersion(bumped, now) };
}
