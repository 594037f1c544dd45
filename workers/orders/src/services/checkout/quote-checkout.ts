import type { CartLine, CheckoutQuote, PriceBreakdown, PricingInput, PricingLine } from "@shop/contracts";
import { Conflict, sha256Hex, Unprocessable } from "@shop/runtime";
import {
  DEFAULT_TAX_TABLE,
  type PricingData,
  PricingRefused,
  priceCheckout,
  TableTaxProvider,
  zoneFor,
} from "@shop/runtime/pricing";
import type { OrdersContext } from "../../env";
import { viewCart } from "../carts/view-cart";
import { offeredPromotions, toPricingPromotion, usedUpPromotions } from "../promotions/promotion-store";
import { pricingShipping } from "../shipping/shipping-store";

/**
 * The weight of one unit when the catalog gives none (variants have no weight column yet):
 * weight-based methods price every unit at this until products send a real weight (ADR 0033).
 */
export const DEFAULT_UNIT_WEIGHT_GRAMS = 500;

const TAX = new TableTaxProvider(DEFAULT_TAX_TABLE);

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
function pricingLine(l: CartLine & { variantId?: string | null }): PricingLine | null {
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

/** The quote's body names the address `address`; pricing names it as `PlaceOrderBody` does. */
function renamed(err: unknown): unknown {
  if (!(err instanceof PricingRefused)) return err;
  const path = err.field.replace(/^shippingAddress\./, "address.");
  return new Unprocessable(err.message, [{ path, message: err.message }]);
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
  const codes = input.promoCode ? [input.promoCode] : [];
  const [records, shipping] = await Promise.all([offeredPromotions(ctx.db, codes), pricingShipping(ctx.db)]);
  const usedUp = await usedUpPromotions(ctx.db, records, ctx.principal?.userId ?? null);
  const data: PricingData = {
    promotions: records.map(toPricingPromotion),
    zones: shipping.zones,
    methods: shipping.methods,
    tax: TAX,
    usedUp,
  };
  const address = { country: input.address.country, ...(input.address.region ? { region: input.address.region } : {}) };
  const base = { currency: cart.total.currency, lines, shippingAddress: address, codes, now: new Date(ctx.meta.now) };

  let zoneId: string;
  try {
    zoneId = zoneFor(data.zones, address.country).id;
  } catch (err) {
    throw renamed(err);
  }
  const price = (shippingMethodId: string) => priceCheckout({ ...base, shippingMethodId } as PricingInput, data);
  const options = data.methods
    .filter((m) => m.zoneId === zoneId)
    .map((m) => {
      try {
        return { methodId: m.id, name: m.name, cost: price(m.id).shipping.cost, unavailable: null };
      } catch (err) {
        if (
          err instanceof PricingRefused &&
          (err.reason === "too_heavy_for_method" || err.reason === "method_not_in_currency")
        )
          return { methodId: m.id, name: m.name, cost: null, unavailable: err.reason };
        throw renamed(err);
      }
    });
  const chosen = input.shippingMethodId ?? options.find((o) => o.unavailable === null)?.methodId;
  if (!chosen)
    throw new Unprocessable(`No shipping method can carry this cart to ${address.country}.`, [
      { path: "shippingMethodId", message: "no method of this destination can carry this cart" },
    ]);
  let breakdown: PriceBreakdown;
  try {
    breakdown = price(chosen);
  } catch (err) {
    throw renamed(err);
  }

  if (input.promoCode) {
    const code = input.promoCode.toUpperCase();
    const refusal = breakdown.refusedPromotions.find((r) => r.code?.toUpperCase() === code)?.reason;
    const say = (message: string) => [{ path: "promoCode", message }];
    if (refusal === "unknown_code" || refusal === undefined) {
      // undefined: applied, or not offered at all (a disabled promotion is an unknown code).
      if (refusal === "unknown_code" || !breakdown.discounts.some((d) => d.code?.toUpperCase() === code))
        throw new Unprocessable(`${code} is not a valid code.`, say("is not a valid code"));
    } else if (refusal === "expired") throw new Unprocessable(`${code} has expired.`, say("has expired"));
    else if (refusal === "not_started") throw new Unprocessable(`${code} is not valid yet.`, say("is not valid yet"));
    else if (refusal === "used_up")
      throw new Conflict("conflict", `${code} has been used up.`, say("has been used up"));
  }

  return {
    breakdown,
    shippingOptions: options.map((o) => ({ ...o, selected: o.methodId === chosen })),
    displayedTotal: { amount: breakdown.total, currency: breakdown.currency },
    pricingToken: await pricingTokenOf(breakdown),
  };
}
