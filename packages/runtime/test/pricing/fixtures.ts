import type { PricingInput, PricingLine, Promotion } from "@shop/contracts";
import { DEFAULT_PRICING_DATA, type PricingData } from "../../src/pricing";

export const NOW = new Date("2026-11-30T12:00:00Z");
export const prd = (n: number) => `prd_01jd8x3v4k2m9q7r5t6w8y0z${String(n).padStart(2, "0")}`;
export const CAT_X = "cat_01jd8x3v4k2m9q7r5t6w8y0zxx";

/** A line of product n: standard tax, 100 g, no category unless told. */
export function line(n: number, unitPrice: number, quantity = 1, extra: Partial<PricingLine> = {}): PricingLine {
  return {
    lineId: `l${String(n).padStart(2, "0")}`,
    productId: prd(n),
    categoryId: null,
    unitPrice,
    quantity,
    taxClass: "standard",
    weightGrams: 100,
    ...extra,
  };
}

/** Where a checkout ships, with the currency and standard method that go with it. */
export const MARKETS = {
  CA: { currency: "USD", shippingAddress: { country: "US", region: "CA" }, shippingMethodId: "us-standard" },
  NY: { currency: "USD", shippingAddress: { country: "US", region: "NY" }, shippingMethodId: "us-standard" },
  TX: { currency: "USD", shippingAddress: { country: "US", region: "TX" }, shippingMethodId: "us-standard" },
  OR: { currency: "USD", shippingAddress: { country: "US", region: "OR" }, shippingMethodId: "us-standard" },
  DE: { currency: "EUR", shippingAddress: { country: "DE" }, shippingMethodId: "eu-standard" },
  FR: { currency: "EUR", shippingAddress: { country: "FR" }, shippingMethodId: "eu-standard" },
  NL: { currency: "EUR", shippingAddress: { country: "NL" }, shippingMethodId: "eu-standard" },
  IE: { currency: "EUR", shippingAddress: { country: "IE" }, shippingMethodId: "eu-standard" },
  GB: { currency: "GBP", shippingAddress: { country: "GB" }, shippingMethodId: "uk-standard" },
  JP: { currency: "JPY", shippingAddress: { country: "JP" }, shippingMethodId: "world-weight" },
  CAN: { currency: "CAD", shippingAddress: { country: "CA" }, shippingMethodId: "world-weight" },
} as const satisfies Record<string, Omit<PricingInput, "lines" | "now">>;

export function checkout(market: keyof typeof MARKETS, lines: PricingLine[], extra: Partial<PricingInput> = {}) {
  return { ...MARKETS[market], lines, now: NOW, ...extra } satisfies PricingInput;
}

export function withPromotions(promotions: Promotion[]): PricingData {
  return { ...DEFAULT_PRICING_DATA, promotions };
}

export const percentOff = (id: string, percent: number, extra: Partial<Promotion> = {}): Promotion => ({
  id,
  code: null,
  discount: { kind: "percentage", percentPpm: percent * 10_000 },
  target: { scope: "order" },
  ...extra,
});
export const amountOff = (id: string, amount: Promotion["minSubtotal"], extra: Partial<Promotion> = {}): Promotion => ({
  id,
  code: null,
  discount: { kind: "fixed", amount: amount ?? {} },
  target: { scope: "order" },
  ...extra,
});
