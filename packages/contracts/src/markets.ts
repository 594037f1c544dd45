import { z } from "zod";
import { VariantId } from "./ids";
import { Currency, MinorUnits } from "./money";

/**
 * Markets (ADR 0032): where the shop sells, and in which currency. A shopper's market comes from
 * their choice (cookie or header), else their country, else the default market; every catalog
 * page, cart, quote and order is in its currency, with prices an admin set for it.
 */
export const MarketCode = z
  .string()
  .regex(/^[a-z0-9]{2,8}$/, "must be 2..8 lowercase letters or digits")
  .meta({ example: "eu" });
export type MarketCode = z.infer<typeof MarketCode>;

/** ISO 3166-1 alpha-2, upper case. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code (DE)");

const Countries = z
  .array(CountryCode)
  .max(250)
  .refine((a) => new Set(a).size === a.length, "names a country twice");

export const Market = z
  .object({
    code: MarketCode,
    name: z.string(),
    currency: Currency,
    countries: z.array(z.string()),
    /** The default market prices in the variants' own prices and serves every unlisted country. */
    default: z.boolean(),
  })
  .meta({
    id: "Market",
    example: { code: "eu", name: "Euro area", currency: "EUR", countries: ["DE", "FR"], default: false },
  });
export type Market = z.infer<typeof Market>;

export const MarketList = z.object({ items: z.array(Market) }).meta({ id: "MarketList" });
export type MarketList = z.infer<typeof MarketList>;

const MarketName = z.string().trim().min(1).max(100);

export const CreateMarketBody = z
  .object({ code: MarketCode, name: MarketName, currency: Currency, countries: Countries })
  .strict()
  .meta({ id: "CreateMarketBody" });
export type CreateMarketBody = z.infer<typeof CreateMarketBody>;

/** A market's currency is fixed: its prices were set in it. */
export const UpdateMarketBody = z
  .object({ name: MarketName.optional(), countries: Countries.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.countries !== undefined, "change at least one field")
  .meta({ id: "UpdateMarketBody" });
export type UpdateMarketBody = z.infer<typeof UpdateMarketBody>;

export const MarketParams = z.object({ code: MarketCode });

/**
 * Prices of a product's variants in markets other than the default one (whose prices are the
 * variants' own). A line without `variantId` sets every variant of the product; `amount: null`
 * takes the variant off sale in that market.
 */
export const SetMarketPricesBody = z
  .object({
    prices: z
      .array(
        z
          .object({
            variantId: VariantId.optional(),
            market: MarketCode,
            amount: MinorUnits.max(100_000_000).nullable(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict()
  .meta({ id: "SetMarketPricesBody" });
export type SetMarketPricesBody = z.infer<typeof SetMarketPricesBody>;

export const MarketPrice = z
  .object({ variantId: VariantId, market: MarketCode, amount: MinorUnits, currency: Currency })
  .meta({ id: "MarketPrice" });
export type MarketPrice = z.infer<typeof MarketPrice>;

export const MarketPriceList = z.object({ items: z.array(MarketPrice) }).meta({ id: "MarketPriceList" });
export type MarketPriceList = z.infer<typeof MarketPriceList>;

/** The shopper's explicit choice of market: a cookie (the storefront's selector) or a header (API clients). */
export const MARKET_COOKIE = "market";
export const MARKET_HEADER = "x-market";
/**
 * How long the gateway keeps the market list (the country → market map) in its isolate: a
 * market's new countries reach every shopper within this bound.
 */
export const MARKETS_MEMO_MS = 60_000;

/** The market of a country: the one listing it, else the default one. */
export function marketOfCountry(list: readonly Market[], country: string | undefined): Market | undefined {
  const c = country?.toUpperCase();
  return (c ? list.find((m) => m.countries.includes(c)) : undefined) ?? list.find((m) => m.default);
}
