import { z } from "zod";
import { idSchema } from "./ids";
import { Money } from "./money";
import { ShippingAddress } from "./orders";
import { AmountByCurrency, PriceBreakdown, PromoCode, PromotionTarget, ShippingRate } from "./pricing";

export { PromoCode };

/**
 * Promotions, shipping and the checkout quote over HTTP (ADR 0033). Pricing itself is the
 * pure `priceCheckout` (ADR 0028); these are the admin-edited records it is fed from and the
 * breakdown the storefront shows.
 */

export const PromotionId = idSchema("promotion");

const Discount = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("percentage"),
      /** Whole or fractional percent, e.g. 10 or 12.5 (stored as parts per million). */
      percent: z.number().positive().max(100).multipleOf(0.0001),
    })
    .strict(),
  z
    .object({
      kind: z.literal("fixed"),
      amount: AmountByCurrency.refine((a) => Object.keys(a).length > 0, "name an amount in at least one currency"),
    })
    .strict(),
]);

const promotionFields = {
  /** Null or absent: automatic, applied without a code. */
  code: PromoCode.nullable().optional(),
  name: z.string().trim().min(1).max(100),
  discount: Discount,
  target: PromotionTarget,
  minSubtotal: AmountByCurrency.optional(),
  startsAt: z.iso.datetime().nullable().optional(),
  /** Exclusive end: at `endsAt` the promotion is over. */
  endsAt: z.iso.datetime().nullable().optional(),
  /** Applies alone (the stacking rule of ADR 0028/0033). */
  exclusive: z.boolean().optional(),
  /** Uses over every customer; null: unlimited. */
  usageLimit: z.int().min(1).max(10_000_000).nullable().optional(),
  /** Uses per customer; null: unlimited. */
  perCustomerLimit: z.int().min(1).max(1000).nullable().optional(),
  active: z.boolean().optional(),
};

const endsAfterStart = (p: { startsAt?: string | null; endsAt?: string | null }, ctx: z.RefinementCtx) => {
  if (p.startsAt && p.endsAt && Date.parse(p.endsAt) <= Date.parse(p.startsAt))
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
};

export const CreatePromotionBody = z
  .object(promotionFields)
  .strict()
  .superRefine(endsAfterStart)
  .meta({ id: "CreatePromotionBody" });
export type CreatePromotionBody = z.infer<typeof CreatePromotionBody>;

/** Every field may change except the code (a printed code stays what it was; make a new one). */
export const UpdatePromotionBody = z
  .object(promotionFields)
  .omit({ code: true })
  .partial()
  .strict()
  .superRefine(endsAfterStart)
  .meta({ id: "UpdatePromotionBody" });
export type UpdatePromotionBody = z.infer<typeof UpdatePromotionBody>;

export const PromotionRecord = z
  .object({
    id: PromotionId,
    code: z.string().nullable(),
    name: z.string(),
    discount: Discount,
    target: PromotionTarget,
    minSubtotal: AmountByCurrency.nullable(),
    startsAt: z.iso.datetime().nullable(),
    endsAt: z.iso.datetime().nullable(),
    exclusive: z.boolean(),
    usageLimit: z.int().nullable(),
    perCustomerLimit: z.int().nullable(),
    active: z.boolean(),
    /** Claimed uses (committed orders not cancelled or refunded in full). */
    uses: z.int().min(0),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Promotion" });
export type PromotionRecord = z.infer<typeof PromotionRecord>;
export const PromotionList = z.object({ items: z.array(PromotionRecord) }).meta({ id: "PromotionList" });

// ---- Shipping ------------------------------------------------------------------------------

/** Zone and method ids are chosen by the admin: short, readable, stable (`eu-standard`). */
export const ShippingSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be lower-case letters, digits and -, e.g. eu-standard");

export const PutShippingZoneBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, e.g. DE"))
      .min(1)
      .max(250)
      .refine((c) => new Set(c).size === c.length, "must not repeat a country"),
  })
  .strict()
  .meta({ id: "PutShippingZoneBody" });
export const ShippingZoneRecord = z
  .object({ id: z.string(), name: z.string(), countries: z.array(z.string()), updatedAt: z.iso.datetime() })
  .meta({ id: "ShippingZoneRecord" });
export type ShippingZoneRecord = z.infer<typeof ShippingZoneRecord>;

export const PutShippingMethodBody = z
  .object({
    zoneId: ShippingSlug,
    name: z.string().trim().min(1).max(100),
    rate: ShippingRate,
    active: z.boolean().optional(),
    /** Order among the zone's methods (the first available is the default choice). */
    position: z.int().min(0).max(1000).optional(),
  })
  .strict()
  .meta({ id: "PutShippingMethodBody" });
export const ShippingMethodRecord = z
  .object({
    id: z.string(),
    zoneId: z.string(),
    name: z.string(),
    rate: ShippingRate,
    active: z.boolean(),
    position: z.int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "ShippingMethodRecord" });
export type ShippingMethodRecord = z.infer<typeof ShippingMethodRecord>;
export const ShippingSetup = z
  .object({ zones: z.array(ShippingZoneRecord), methods: z.array(ShippingMethodRecord) })
  .meta({ id: "ShippingSetup" });

// ---- The checkout quote --------------------------------------------------------------------

/** Enough of an address to price it: the country (and US state in `region`); the rest is optional here. */
export const QuoteAddress = ShippingAddress.partial().required({ country: true }).meta({ id: "QuoteAddress" });

export const CheckoutQuoteBody = z
  .object({
    address: QuoteAddress,
    shippingMethodId: z.string().min(1).max(64).optional(),
    promoCode: PromoCode.optional(),
  })
  .strict()
  .meta({ id: "CheckoutQuoteBody" });
export type CheckoutQuoteBody = z.input<typeof CheckoutQuoteBody>;

export const ShippingOption = z.object({
  methodId: z.string(),
  name: z.string(),
  /** What this method would cost for this cart; null when it cannot carry it (see `unavailable`). */
  cost: z.int().min(0).nullable(),
  unavailable: z.enum(["too_heavy_for_method", "method_not_in_currency"]).nullable(),
  selected: z.boolean(),
});

export const CheckoutQuote = z
  .object({
    breakdown: PriceBreakdown,
    /** The methods of the address's zone, in the admin's order. */
    shippingOptions: z.array(ShippingOption),
    /** The total as the shopper should see it. */
    displayedTotal: Money,
    /**
     * A fingerprint of the breakdown (`pq1_<sha-256>`): pricing the same cart, address, method and
     * code again gives the same token unless a price, promotion, shipping or tax figure changed.
     */
    pricingToken: z.string(),
  })
  .meta({ id: "CheckoutQuote" });
export type CheckoutQuote = z.infer<typeof CheckoutQuote>;
