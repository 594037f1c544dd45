import { z } from "zod";
import { CategoryId, ProductId } from "./ids";
import { Currency, MinorUnits } from "./money";
import { Quantity, TaxClass, WeightGrams } from "./products";

/**
 * Checkout pricing (ADR 0028): what the pure pricing function in `@shop/runtime/pricing` takes
 * and returns. Every amount is an integer in minor units of the one currency of the checkout.
 * Rates are integers in parts per million (7.25 % = 72 500) so that 8.875 % is exact too.
 */

/** A tax rate in parts per million of the taxable amount: 0 .. 100 %. */
export const RatePpm = z.int().min(0).max(1_000_000);
/** A percentage off in parts per million: 250 000 = 25 %, 1 000 000 = everything. */
export const PercentPpm = z.int().min(1).max(1_000_000);
const CountryCode = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, e.g. DE");
/** An amount per currency the shop sells in; a currency left out is not offered. */
export const AmountByCurrency = z.partialRecord(Currency, MinorUnits);
export type AmountByCurrency = z.infer<typeof AmountByCurrency>;

/** What a shopper types: letters, digits, `-` and `_`; stored and compared upper-cased. */
export const PromoCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,32}$/, "must be 3 to 32 letters, digits, - or _")
  .transform((s) => s.toUpperCase())
  .meta({ example: "WELCOME10" });

// ---- Input ---------------------------------------------------------------------------------

export const PricingLine = z
  .object({
    /** Unique within the checkout (the variant when products have variants, else the product). */
    lineId: z.string().min(1).max(64),
    productId: ProductId,
    categoryId: CategoryId.nullable(),
    /** The shelf price in this market: gross where the tax rule is inclusive, net where exclusive. */
    unitPrice: z.int().min(0).max(100_000_000),
    quantity: Quantity,
    taxClass: TaxClass,
    weightGrams: WeightGrams,
  })
  .strict();
export type PricingLine = z.infer<typeof PricingLine>;

export const PricingInput = z
  .object({
    currency: Currency,
    lines: z.array(PricingLine).min(1).max(50),
    /** The parts of the shipping address that price the order; `region` is the US state code. */
    shippingAddress: z.object({ country: CountryCode, region: z.string().max(100).optional() }),
    shippingMethodId: z.string().min(1).max(64),
    /** Codes the shopper entered; matched case-insensitively. */
    codes: z.array(z.string().min(1).max(64)).max(10).default([]),
    /** The instant promotions are judged against (start/end). */
    now: z.date(),
  })
  .strict();
export type PricingInput = z.input<typeof PricingInput>;

// ---- Data an admin edits: promotions, shipping, tax ------------------------------------------

export const PromotionTarget = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("order") }).strict(),
  z.object({ scope: z.literal("products"), productIds: z.array(ProductId).min(1) }).strict(),
  z.object({ scope: z.literal("categories"), categoryIds: z.array(CategoryId).min(1) }).strict(),
]);
export type PromotionTarget = z.infer<typeof PromotionTarget>;

export const Promotion = z
  .object({
    id: z.string().min(1).max(64),
    /** Null: automatic (applies without a code). Codes are compared upper-cased. */
    code: z.string().min(1).max(64).nullable(),
    /** Percentage off, or a fixed amount off per currency (not offered in a currency left out). */
    discount: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("percentage"), percentPpm: PercentPpm }).strict(),
      z.object({ kind: z.literal("fixed"), amount: AmountByCurrency }).strict(),
    ]),
    target: PromotionTarget,
    /** The undiscounted subtotal must reach this (per currency; a currency left out has no minimum). */
    minSubtotal: AmountByCurrency.optional(),
    startsAt: z.date().optional(),
    /** Exclusive end: at `endsAt` the promotion is over. */
    endsAt: z.date().optional(),
    /** An exclusive promotion never combines with another; see the stacking rule in ADR 0028. */
    exclusive: z.boolean().default(false),
  })
  .strict();
export type Promotion = z.input<typeof Promotion>;

export const ShippingZone = z
  .object({ id: z.string().min(1).max(64), name: z.string().min(1), countries: z.array(CountryCode).min(1) })
  .strict();
export type ShippingZone = z.infer<typeof ShippingZone>;

export const ShippingRate = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("flat"), cost: AmountByCurrency }).strict(),
  /** `cost` unless the discounted merchandise total reaches `threshold`, then free. */
  z.object({ kind: z.literal("free_above"), cost: AmountByCurrency, threshold: AmountByCurrency }).strict(),
  /** The first band whose `upToGrams` covers the total weight; heavier than the last → unavailable. */
  z
    .object({
      kind: z.literal("weight"),
      bands: z.array(z.object({ upToGrams: z.int().min(0), cost: AmountByCurrency }).strict()).min(1),
    })
    .strict(),
]);
export type ShippingRate = z.infer<typeof ShippingRate>;

export const ShippingMethod = z
  .object({ id: z.string().min(1).max(64), zoneId: z.string().min(1), name: z.string().min(1), rate: ShippingRate })
  .strict();
export type ShippingMethod = z.infer<typeof ShippingMethod>;

/** The tax rules of one jurisdiction: a country, or a US state (`region`). */
export const TaxJurisdiction = z
  .object({
    country: CountryCode,
    region: z.string().min(1).max(8).optional(),
    /** Inclusive: shelf prices contain the tax (EU VAT, UK). Exclusive: tax is added (US sales tax). */
    rates: z.record(TaxClass, z.object({ ratePpm: RatePpm, inclusive: z.boolean() }).strict()),
    /** The class shipping is taxed as; null: shipping is not taxed here. */
    shippingTaxClass: TaxClass.nullable(),
  })
  .strict();
export type TaxJurisdiction = z.infer<typeof TaxJurisdiction>;

// ---- Output --------------------------------------------------------------------------------

export const PromotionRefusal = z.enum([
  "unknown_code",
  "not_started",
  "expired",
  "used_up",
  "min_subtotal",
  "not_in_currency",
  "no_eligible_lines",
  "not_stackable",
]);
export type PromotionRefusal = z.infer<typeof PromotionRefusal>;

export const PricedLine = z.object({
  lineId: z.string(),
  productId: ProductId,
  unitPrice: MinorUnits,
  quantity: Quantity,
  /** unitPrice × quantity. */
  subtotal: MinorUnits,
  /** This line's share of every promotion applied (largest-remainder allocation). */
  discount: MinorUnits,
  taxRateId: z.string(),
  /** Tax on `subtotal − discount`: inside it when inclusive, on top when exclusive. */
  tax: MinorUnits,
  taxInclusive: z.boolean(),
  /** subtotal − discount (+ tax when exclusive). */
  total: MinorUnits,
});
export type PricedLine = z.infer<typeof PricedLine>;

export const PriceBreakdown = z
  .object({
    currency: Currency,
    /** Minor-unit exponent of the currency (2 for EUR, 0 for JPY). */
    exponent: z.int().min(0).max(3),
    lines: z.array(PricedLine),
    subtotal: MinorUnits,
    discounts: z.array(z.object({ promotionId: z.string(), code: z.string().nullable(), amount: MinorUnits })),
    discountTotal: MinorUnits,
    /** Promotions offered (entered codes and automatic ones) that did not apply, and why. */
    refusedPromotions: z.array(
      z.object({ promotionId: z.string().nullable(), code: z.string().nullable(), reason: PromotionRefusal }),
    ),
    shipping: z.object({
      methodId: z.string(),
      name: z.string(),
      zoneId: z.string(),
      /** As charged: gross when the shipping tax is inclusive, net when exclusive. */
      cost: MinorUnits,
      taxRateId: z.string().nullable(),
      tax: MinorUnits,
      taxInclusive: z.boolean(),
    }),
    taxes: z.array(
      z.object({
        rateId: z.string(),
        ratePpm: RatePpm,
        inclusive: z.boolean(),
        /** What was taxed at this rate, net of the tax. */
        net: MinorUnits,
        amount: MinorUnits,
      }),
    ),
    /** Every tax, included or added. */
    taxTotal: MinorUnits,
    /** The part of `taxTotal` added on top of prices (exclusive rules). */
    taxAdded: MinorUnits,
    /** subtotal − discountTotal + shipping.cost + taxAdded. */
    total: MinorUnits,
  })
  .meta({ id: "PriceBreakdown" });
export type PriceBreakdown = z.infer<typeof PriceBreakdown>;
