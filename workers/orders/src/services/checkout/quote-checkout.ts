import type { CartLine, CheckoutQuote, PriceBreakdown, PricingLine } from "@shop/contracts";
import { sha256Hex, Unprocessable } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { viewCart } from "../carts/view-cart";
import { priceOrder } from "./price-order";

/**
 * The weight of one unit when the catalog gives none (variants have no weight column yet):
 * weight-based methods price every unit at this until products send a real weight (ADR 0033).
 */
export const DEFAULT_UNIT_WEIGHT_GRAMS = 500;

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

/** A cart line as pricing takes it; the catalog gives no category, tax class or weight yet. */
export function pricingLine(l: CartLine & { variantId?: string | null }): PricingLine | null {
  if (!l.unitPrice || (l.problem !== null && l.problem !== "insufficient_stock")) return null;
  const extra = l as { categoryId?: string | null; taxClass?: PricingLine["taxClass"]; weightGrams?: number };
  return {
    lineId: l.variantId ?? l.productId,
    productId: l.productId,
    categoryId: extra.categoryId ?? null,
    unitPrice: l.unitPrice.amount,
    quantity: l.quantity,
    taxClass: extra.taxClass ?? "standard",
    weightGrams: extra.weightGrams ?? DEFAULT_UNIT_WEIGHT_GRAMS,
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
  const cart = await viewCart(ctx, { cartToken: input.cartToken, market: input.market });
  const lines = cart.lines.map(pricingLine).filter((l): l is PricingLine => l !== null);
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
