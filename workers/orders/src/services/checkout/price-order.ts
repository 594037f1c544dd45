import type { PriceBreakdown, PricingInput, PricingLine, PromotionRecord } from "@shop/contracts";
import { Conflict, Unprocessable } from "@shop/runtime";
import {
  DEFAULT_TAX_TABLE,
  type PricingData,
  PricingRefused,
  priceCheckout,
  TableTaxProvider,
  zoneFor,
} from "@shop/runtime/pricing";
import type { Db } from "../../db/client";
import { toPricingPromotion, usedUpPromotions } from "../promotions/promotion-store";
import { checkoutPricingData } from "./pricing-data";

const TAX = new TableTaxProvider(DEFAULT_TAX_TABLE);

export type PriceOrderInput = {
  currency: string;
  lines: PricingLine[];
  address: { country: string; region?: string | undefined };
  /** Absent: the first method of the zone that can carry the lines. */
  shippingMethodId?: string | undefined;
  promoCode?: string | undefined;
  customerId: string | null;
  now: Date;
  /**
   * Refuse a code this customer (or everyone) has used up, from the counters as they are now.
   * The quote does; placement does not: it claims the uses atomically right after pricing
   * (`claimPromotionUses`), which is the check that holds under concurrency (ADR 0035).
   */
  checkUsedUp: boolean;
  /** How a refusal names the address: `address` (the quote) or `shippingAddress` (an order). */
  addressPath: "address" | "shippingAddress";
};

export type ShippingOptionPrice = {
  methodId: string;
  name: string;
  cost: number | null;
  unavailable: "too_heavy_for_method" | "method_not_in_currency" | null;
};

export type PricedOrder = { breakdown: PriceBreakdown; options: ShippingOptionPrice[]; chosen: string };

/** What pricing reads: the promotions on offer (automatic ones and the code), zones and methods. */
export type PricingTables = {
  records: PromotionRecord[];
  shipping: Awaited<ReturnType<typeof checkoutPricingData>>["shipping"];
};

/**
 * Reads the tables `priceOrder` prices with: from the isolate's memo while warm, the code and
 * limited promotions fresh (ADR 0037). Needs no prices, so placement reads them while the stock
 * is being held (ADR 0023).
 */
export async function loadPricingTables(db: Db, promoCode: string | undefined): Promise<PricingTables> {
  const { promotions, shipping } = await checkoutPricingData(db, promoCode ? [promoCode] : []);
  return { records: promotions, shipping };
}

/**
 * Prices lines for an address, a shipping method and a code — the one pricing of the checkout
 * quote and of order placement (ADR 0033, 0035): active promotions (automatic ones and the
 * entered code), the address's zone's methods and the tax table, through `priceCheckout`.
 * Refusals, as 4xx errors: outside every zone → 422 `<address>.country`; no method can carry the
 * lines or an unknown method → 422 `shippingMethodId`; an unknown, not started or expired code
 * → 422 `promoCode`; a used-up one (with `checkUsedUp`) → 409 `promoCode`. A code that exists but
 * does not fit (minimum, lines, currency, stacking) is not an error: the breakdown lists it in
 * `refusedPromotions` with the reason.
 */
export async function priceOrder(db: Db, input: PriceOrderInput, tables?: PricingTables): Promise<PricedOrder> {
  const renamed = (err: unknown): unknown => {
    if (!(err instanceof PricingRefused)) return err;
    const path = err.field.replace(/^shippingAddress\./, `${input.addressPath}.`);
    return new Unprocessable(err.message, [{ path, message: err.message }]);
  };
  const codes = input.promoCode ? [input.promoCode] : [];
  // `tables`: read already (for this code) by the caller; otherwise read now.
  const { records, shipping } = tables ?? (await loadPricingTables(db, input.promoCode));
  const usedUp = input.checkUsedUp ? await usedUpPromotions(db, records, input.customerId) : new Set<string>();
  const data: PricingData = {
    promotions: records.map(toPricingPromotion),
    zones: shipping.zones,
    methods: shipping.methods,
    tax: TAX,
    usedUp,
  };
  const address = { country: input.address.country, ...(input.address.region ? { region: input.address.region } : {}) };
  const base = { currency: input.currency, lines: input.lines, shippingAddress: address, codes, now: input.now };

  let zoneId: string;
  try {
    zoneId = zoneFor(data.zones, address.country).id;
  } catch (err) {
    throw renamed(err);
  }
  const price = (shippingMethodId: string) => priceCheckout({ ...base, shippingMethodId } as PricingInput, data);
  const options: ShippingOptionPrice[] = data.methods
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
  return { breakdown, options, chosen };
}

/**
 * What can be refused before any stock is held (ADR 0035): the address outside every zone, a
 * method that is not one of its zone's, a code that does not exist, has not started or has
 * ended — the same 4xx pricing gives. Everything else (what the code is worth, whether it fits,
 * whether uses are left) needs the held prices and the claim, and is decided after the reserve.
 */
export async function precheckOrder(
  db: Db,
  input: { country: string; shippingMethodId?: string | undefined; promoCode?: string | undefined; now: Date },
): Promise<void> {
  const { shipping, promotions: records } = await checkoutPricingData(db, input.promoCode ? [input.promoCode] : []);
  let zoneId: string;
  try {
    zoneId = zoneFor(shipping.zones, input.country).id;
  } catch (err) {
    if (!(err instanceof PricingRefused)) throw err;
    throw new Unprocessable(err.message, [{ path: err.field, message: err.message }]);
  }
  const method = input.shippingMethodId;
  if (method && !shipping.methods.some((m) => m.id === method && m.zoneId === zoneId))
    throw new Unprocessable(`${method} does not ship to ${input.country}.`, [
      { path: "shippingMethodId", message: `is not a shipping method for ${input.country}` },
    ]);
  if (input.promoCode) {
    const code = input.promoCode.toUpperCase();
    const say = (message: string) => [{ path: "promoCode", message }];
    const record = records.find((r) => r.code === code);
    if (!record) throw new Unprocessable(`${code} is not a valid code.`, say("is not a valid code"));
    const now = input.now.getTime();
    if (record.startsAt && Date.parse(record.startsAt) > now)
      throw new Unprocessable(`${code} is not valid yet.`, say("is not valid yet"));
    if (record.endsAt && Date.parse(record.endsAt) <= now)
      throw new Unprocessable(`${code} has expired.`, say("has expired"));
  }
}
