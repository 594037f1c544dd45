import { z } from "zod";
import { Problem } from "./errors";
import { CartId, OrderId, PaymentId, ProductId, UserId, VariantId } from "./ids";
import { MarketCode } from "./markets";
import { Currency, MinorUnits, Money } from "./money";
import { NextAction, PaymentMethod, PaymentStatus } from "./payments";
import { PriceBreakdown, PromoCode } from "./pricing";
import { Quantity } from "./products";

export const OrderStatus = z.enum([
  "pending",
  "awaiting_payment",
  "paid",
  "shipped",
  "delivered",
  "rejected",
  "payment_failed",
  "expired",
  "cancelled",
  "refunded",
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Idempotency-Key header: printable, bounded (Stripe allows up to 255). */
export const IdempotencyKey = z
  .string()
  .min(8, "Idempotency-Key must be 8..255 printable characters")
  .max(255, "Idempotency-Key must be 8..255 printable characters")
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be 8..255 printable characters");

/** Carries a guest cart's token (`CartToken`) both ways; the name predates tokens. */
export const CART_ID_HEADER = "x-cart-id";
export const CART_COOKIE = "cart_id";
/**
 * A guest cart's bearer capability: `crt_<ulid>.<secret>`, the secret 128 random bits
 * (base64url). Whoever holds it holds the cart; the cart id alone opens nothing (ADR 0011).
 */
export const CartToken = z
  .string()
  .regex(/^crt_[0-9a-hjkmnp-tv-z]{26}\.[A-Za-z0-9_-]{22,86}$/, "must be a cart token this API returned (crt_….…)")
  .meta({ example: "crt_01jd8x3v4k2m9q7r5t6w8y0zab.q8Xv2T0bN5fJ3kLm9Pq1Rw" });
export const MAX_CART_LINES = 50;
/** Idempotency-Key records (`POST /orders`, refunds; `runIdempotent` in the runtime) are kept this long. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

// ---- Cart ----------------------------------------------------------------------------------

/**
 * `variantId` names the variant to buy (one of `productId`'s, ADR 0029); without it the line is
 * the product's default variant, as for a product without options.
 */
export const AddCartItemBody = z
  .object({ productId: ProductId, variantId: VariantId.optional(), quantity: Quantity })
  .strict()
  .meta({ id: "AddCartItemBody" });
export type AddCartItemBody = z.infer<typeof AddCartItemBody>;

export const UpdateCartItemBody = z.object({ quantity: Quantity }).strict().meta({ id: "UpdateCartItemBody" });
export type UpdateCartItemBody = z.infer<typeof UpdateCartItemBody>;

/** Why a cart line cannot be bought as it is right now. */
/** `not_in_market`: the variant has no price in the cart's market, so it is not sold there (ADR 0032). */
export const CartLineProblem = z.enum([
  "not_found",
  "inactive",
  "insufficient_stock",
  "currency_mismatch",
  "not_in_market",
]);
export type CartLineProblem = z.infer<typeof CartLineProblem>;

/** A cart line is one variant of a product: size M and size L of one product are two lines. */
export const CartLine = z
  .object({
    productId: ProductId,
    variantId: VariantId,
    /** The variant's SKU. */
    sku: z.string().nullable(),
    /** The variant's option values for people ("M / Blue"); "" for a product without options. */
    variantLabel: z.string(),
    name: z.string().nullable(),
    imageUrl: z.string().nullable(),
    quantity: Quantity,
    /** Current price, re-quoted from the catalog on every read; null when the product is gone. */
    unitPrice: Money.nullable(),
    lineTotal: Money.nullable(),
    available: z.int().min(0),
    problem: CartLineProblem.nullable(),
  })
  .meta({ id: "CartLine" });
export type CartLine = z.infer<typeof CartLine>;

export const Cart = z
  .object({
    /** The guest cart's id (not a credential); null for a signed-in shopper's cart and for a guest with no cart yet. */
    cartId: CartId.nullable(),
    /** The guest cart's token, also in the `x-cart-id` header: send it back to use the cart. Null when `cartId` is. */
    cartToken: CartToken.nullable(),
    owner: z.enum(["guest", "user"]),
    lines: z.array(CartLine).max(MAX_CART_LINES),
    itemCount: z.int().min(0),
    /** Sum of the purchasable lines; null for an empty cart. */
    total: Money.nullable(),
    /** True when every line can be ordered as it is. */
    checkoutReady: z.boolean(),
    /** Guest carts merged into this one by the request that returned it. */
    mergedCartIds: z.array(CartId),
    /**
     * The market the cart is priced in (ADR 0032): the shopper's current one; null when no
     * market was named (the default market).
     */
    market: MarketCode.nullable(),
    /** The currency of the cart's prices; null while no line has a price. */
    currency: Currency.nullable(),
  })
  .meta({ id: "Cart" });
export type Cart = z.infer<typeof Cart>;

// ---- Orders --------------------------------------------------------------------------------

export const ShippingAddress = z
  .object({
    name: z.string().trim().min(1).max(100),
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100),
    region: z.string().trim().max(100).optional(),
    postalCode: z.string().trim().min(1).max(20),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, e.g. DE")
      .meta({ example: "DE" }),
  })
  .strict()
  .meta({ id: "ShippingAddress" });
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** The client names where and how; the items and prices come from the cart and the catalog. */
export const PlaceOrderBody = z
  .object({
    shippingAddress: ShippingAddress,
    paymentMethod: PaymentMethod,
    /**
     * The shipping method chosen on the quote (`POST /checkout/quote`, ADR 0033); absent: the
     * first method of the address's zone that can carry the cart.
     */
    shippingMethodId: z.string().min(1).max(64).optional(),
    /** The promotion code entered on the quote. */
    promoCode: PromoCode.optional(),
    /**
     * The grand total the shopper saw (the quote's `displayedTotal.amount`, minor units). The order
     * is priced again when stock is held; another total → 409 `price_changed` with the new
     * `breakdown`, nothing held or charged (ADR 0035). Required for the storefront. Absent
     * (deprecated, clients from before ADR 0035): no comparison, and without `shippingMethodId`
     * nor `promoCode` the order is the sum of its lines as before (no shipping, tax or promotion).
     */
    displayedTotal: MinorUnits.optional(),
  })
  .strict()
  .meta({ id: "PlaceOrderBody" });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

export const ShipOrderBody = z
  .object({ carrier: z.string().trim().min(1).max(100), trackingNumber: z.string().trim().min(1).max(100) })
  .strict()
  .meta({ id: "ShipOrderBody" });
export type ShipOrderBody = z.infer<typeof ShipOrderBody>;

export const CancelOrderBody = z
  .object({ reason: z.string().trim().max(300).optional() })
  .strict()
  .meta({ id: "CancelOrderBody" });
export type CancelOrderBody = z.infer<typeof CancelOrderBody>;

export const OrderLine = z
  .object({
    productId: ProductId,
    /** The variant bought (a product's default variant for orders placed before variants). */
    variantId: VariantId,
    /** The variant's SKU when the order was placed. */
    sku: z.string().nullable(),
    /** The variant's option values when the order was placed ("M / Blue"); "" without options. */
    variantLabel: z.string(),
    name: z.string(),
    quantity: Quantity,
    /** The price snapshot taken when the order was placed. */
    unitPrice: Money,
    lineTotal: Money,
  })
  .meta({ id: "OrderLine" });
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderEvent = z
  .object({
    seq: z.int().min(1),
    type: z.string(),
    status: OrderStatus,
    at: z.iso.datetime(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: "OrderEvent" });
export type OrderEvent = z.infer<typeof OrderEvent>;

export const OrderPayment = z
  .object({
    paymentId: PaymentId.nullable(),
    status: PaymentStatus.nullable(),
    amountRefunded: MinorUnits,
    failureMessage: z.string().nullable(),
    /** While the payment `requires_action`: the page where the shopper completes it (3-D Secure). */
    nextAction: NextAction.nullable(),
  })
  .meta({ id: "OrderPayment" });

export const Tracking = z
  .object({ carrier: z.string(), trackingNumber: z.string(), shippedAt: z.iso.datetime() })
  .meta({ id: "Tracking" });

/**
 * The order's short number for people (`#10042`): unique, allocated once when the order is
 * placed, increasing per allocator shard but not gapless (ADR 0013). Null only for an order
 * placed before numbers existed that the history has not numbered yet.
 */
export const OrderNumber = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const Order = z
  .object({
    id: OrderId,
    number: OrderNumber.nullable().meta({ description: "Shown to customers as #10042 (ADR 0013)", example: 10042 }),
    userId: UserId,
    status: OrderStatus,
    /** The market the order was placed in (ADR 0032); null for orders placed before markets (the default market). */
    market: MarketCode.nullable(),
    currency: Currency.nullable(),
    total: Money.nullable(),
    itemCount: z.int().min(0),
    lines: z.array(OrderLine),
    shippingAddress: ShippingAddress,
    payment: OrderPayment,
    tracking: Tracking.nullable(),
    /** An unpaid order expires at this time. */
    paymentDeadline: z.iso.datetime().nullable(),
    /** Why the order ended where it did (declined card, lines without stock, …). */
    reason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /**
     * How `total` was reached (ADR 0035): lines, discounts, shipping, tax, grand total, as priced
     * when stock was held. Null for an order placed without a shipping method (before ADR 0035,
     * or a deprecated client): its total is the sum of its lines.
     */
    breakdown: PriceBreakdown.nullable().optional(),
    timeline: z.array(OrderEvent),
  })
  .meta({ id: "Order" });
export type Order = z.infer<typeof Order>;

/**
 * Who placed the order, for staff. Both null when the users service could not say (it was
 * unreachable, or the account is gone): the listing still answers.
 */
export const OrderCustomer = z
  .object({
    name: z.string().nullable(),
    email: z.string().nullable(),
  })
  .meta({
    id: "OrderCustomer",
    description:
      "The customer who placed the order, in the admin listing only (a customer's own history omits it). " +
      "Null name and email when the users service could not say.",
    example: { name: "Ada Lovelace", email: "ada@example.com" },
  });
export type OrderCustomer = z.infer<typeof OrderCustomer>;

export const OrderSummary = Order.omit({ timeline: true, shippingAddress: true })
  .extend({ customer: OrderCustomer.optional() })
  .meta({ id: "OrderSummary" });
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderPage = z
  .object({ items: z.array(OrderSummary), nextCursor: z.string().nullable() })
  .meta({ id: "OrderPage" });
export type OrderPage = z.infer<typeof OrderPage>;

// ---- Problems ------------------------------------------------------------------------------

export const ShortStockLine = z
  .object({
    productId: ProductId,
    /** The variant that is short (absent only from releases before variants). */
    variantId: VariantId.optional(),
    requested: z.int().min(1),
    /** Units that could be ordered right now (0 for unknown or archived products). */
    available: z.int().min(0),
    reason: z.enum(["insufficient_stock", "not_found", "inactive"]),
  })
  .meta({ id: "ShortStockLine" });
export type ShortStockLine = z.infer<typeof ShortStockLine>;

/** 409 of `POST /orders` when a line cannot be held: `errors` names them, `lines` says how short. */
export const InsufficientStockProblem = Problem.extend({
  code: z.literal("insufficient_stock"),
  lines: z.array(ShortStockLine).min(1),
}).meta({ id: "InsufficientStockProblem" });
export type InsufficientStockProblem = z.infer<typeof InsufficientStockProblem>;

/**
 * 409 `price_changed` of `POST /orders`: priced again when stock was held, the order's total is
 * not the `displayedTotal` the shopper saw. Nothing was held or charged; `breakdown` is the new
 * pricing to show (ADR 0035).
 */
export const PriceChangedProblem = Problem.extend({
  code: z.literal("price_changed"),
  breakdown: PriceBreakdown,
}).meta({ id: "PriceChangedProblem" });
export type PriceChangedProblem = z.infer<typeof PriceChangedProblem>;
