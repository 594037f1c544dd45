import type { CartLine, CheckoutQuote, PriceBreakdown, PricingLine, TaxClass } from "@shop/contracts";
import { sha256Hex, Unprocessable } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { viewCartQuoted } from "../carts/view-cart";
import { priceOrder } from "./price-order";

/**
 * The weight of one unit when the catalog gives none (a variant without a weight, or a products
 * release from before weights): weight-based methods price such a unit at this (ADR 0033).
 */
export const DEFAULT_UNIT_WEIGHT_GRAMS = 500;

/** What pricing needs of a line besides its price, as the catalog quoted it. */
export type LineFacts = {
  weightGrams?: number | null | undefined;
  taxClass?: TaxClass | null | undefined;
  categoryId?: string | null | undefined;
};

/**
 * A line's weight, tax class and category for pricing: the catalog's when it sent them, else
 * the defaults (the default unit weight, the standard class, no category).
 */
export function pricingFacts(
  facts: LineFacts | undefined,
): Pick<PricingLine, "categoryId" | "taxClass" | "weightGrams"> {
  return {
    categoryId: facts?.categoryId ?? null,
    taxClass: facts?.taxClass ?? "standard",
    weightGrams: facts?.weightGrams ?? DEFAULT_UNIT_WEIGHT_GRAMS,
  };
}

export type QuoteInput = {
  cartToken: string | undefined;
  /** The shopper's market (ADR 0032), as the cart is priced in it. */
  market?: string | undefined;
  address: { country: string; region?: string | undefined };
  shippingMethodId?: string | undefined;
  promoCode?: string | undefined;
};

/** A fingerprint of a breakdown: the same cart priced the same way gives the same token. */
export async function pricingTokenOf(breakdown: PriceBreakdown): Promise<string> {
  return `pq1_${await sha256Hex(JSON.stringify(breakdown))}`;
}

/** A cart line as pricing takes it, with what the catalog quoted of it (`quote`). */
export function pricingLine(l: CartLine & { variantId?: string | null }, quote?: LineFacts): PricingLine | null {
  if (!l.unitPrice || (l.problem !== null && l.problem !== "insufficient_stock")) return null;
  return {
    lineId: l.variantId ?? l.productId,
    productId: l.productId,
    unitPrice: l.unitPrice.amount,
    quantity: l.quantity,
    ...pricingFacts(quote),
  };
}

/**
 * Prices the caller's cart for an address (ADR 0033): current catalog prices (the cart's read
 * path), active promotions (automatic ones and the entered code, minus those used up for this
 * customer), the address's zone's methods and the tax table, through `priceCheckout`.
 * Read-only. Refusals: an empty cart → 422 `cart`; outside every zone → 422 `address.country`;
 * an unknown, not started or expired code → 422 `promoCode`; a used-up one → 409 `promoCode`.
 * A code that exists but does not fit this cart (minimum, lines, currency, stacking) is not an
 * error: the breakdown lists it in `refusedPromotions` with the reason.
 */
export async function quoteCheckout(ctx: OrdersContext, input: QuoteInput): Promise<CheckoutQuote> {
  const { cart, quotes } = await viewCartQuoted(ctx, { cartToken: input.cartToken, market: input.market });
  const lines = cart.lines
    .map((l) => pricingLine(l, quotes.get(l.variantId)))
    .filter((l): l is PricingLine => l !== null);
  if (!lines.length || !cart.total)
    throw new Unprocessable("The cart has nothing that can be bought yet.", [
      { path: "cart", message: "add an available product first" },
    ]);
  const { breakdown, options, chosen } = await priceOrder(ctx.db, {
    currency: cart.total.currency,
    lines,
    address: input.address,
    shippingMethodId: input.shippingMethodId,
    promoCode: input.promoCode,
    customerId: ctx.principal?.userId ?? null,
    now: new Date(ctx.meta.now),
    checkUsedUp: true,
    addressPath: "address",
  });
  return {
    breakdown,
    shippingOptions: options.map((o) => ({ ...o, selected: o.methodId === chosen })),
    displayedTotal: { amount: breakdown.total, currency: breakdown.currency },
    pricingToken: await pricingTokenOf(breakdown),
  };
}
