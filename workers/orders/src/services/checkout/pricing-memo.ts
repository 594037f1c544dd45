import type { PromotionRecord, ShippingMethod, ShippingZone } from "@shop/contracts";
import { IsolateMemo } from "@shop/runtime";

/**
 * How old the checkout's pricing data may be when an order or a quote is priced with it (ADR
 * 0037): shipping zones and methods and the automatic promotions' definitions. An admin's change
 * reaches every checkout within this bound, and the isolate that made it at once. What decides
 * money under concurrency is never read from it: usage counts and entered codes are read fresh,
 * and the claim of uses is atomic in D1 (ADR 0035).
 */
export const PRICING_DATA_MEMO_MS = 5_000;

export type PricingBase = {
  shipping: { zones: ShippingZone[]; methods: ShippingMethod[] };
  /** Active promotions without a code. */
  automatic: PromotionRecord[];
};

export const pricingBaseMemo = new IsolateMemo<PricingBase>(PRICING_DATA_MEMO_MS);

/** After a write to shipping or promotions: this isolate's next checkout reads them again. */
export function forgetPricingData(): void {
  pricingBaseMemo.forget();
}
