import { PriceBreakdown, type PricingInput, type PromotionRefusal } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { Invalid } from "../../src/domain-errors";
import { DEFAULT_PRICING_DATA, type PricingData, PricingRefused, priceCheckout } from "../../src/pricing";
import { amountOff, CAT_X, checkout, line, NOW, percentOff, prd, withPromotions } from "./fixtures";

type Expected = {
  total: number;
  subtotal?: number;
  discountTotal?: number;
  shipping?: number;
  shippingTax?: number;
  taxTotal?: number;
  taxAdded?: number;
  lineTaxes?: number[];
  lineDiscounts?: number[];
  applied?: string[];
  refused?: [string | null, PromotionRefusal][];
  taxes?: Record<string, { net: number; amount: number }>;
  exponent?: number;
};
type Case = { name: string; input: PricingInput; data?: PricingData; expect: Expected };

const DAY = 24 * 60 * 60 * 1000;

/**
 * Hand-checked: each figure below was worked out on paper from the default data (ADR 0028):
 * US shipping $5.99 (free from $50), EU €4.90 (free from €60), UK £3.95, world by weight;
 * tax rounded half up per line; inclusive tax = gross × r / (1 + r).
 */
const cases: Case[] = [
  // ---- Exclusive (US sales tax) ----
  {
    name: "CA: 7.25 % on goods, delivery untaxed",
    input: checkout("CA", [line(1, 1000, 2)]),
    expect: { subtotal: 2000, shipping: 599, shippingTax: 0, taxTotal: 145, taxAdded: 145, total: 2744 },
  },
  {
    name: "NY: 4 % on goods and on delivery",
    input: checkout("NY", [line(1, 1000, 2)]),
    expect: { shipping: 599, shippingTax: 24, taxTotal: 104, taxAdded: 104, total: 2703 },
  },
  {
    name: "TX: 6.25 %, 124.9375 → 125 and 37.4375 → 37",
    input: checkout("TX", [line(1, 1999)]),
    expect: { lineTaxes: [125], shippingTax: 37, total: 2760 },
  },
  {
    name: "OR: no sales tax; $50.00 exactly ships free",
    input: checkout("OR", [line(1, 5000)]),
    expect: { shipping: 0, taxTotal: 0, total: 5000 },
  },
  {
    name: "free shipping threshold: one cent short pays shipping",
    input: checkout("CA", [line(1, 4999)]),
    expect: { shipping: 599, lineTaxes: [362], total: 5960 },
  },
  {
    name: "express is flat, whatever the subtotal",
    input: checkout("CA", [line(1, 10000)], { shippingMethodId: "us-express" }),
    expect: { shipping: 1999, taxTotal: 725, total: 12724 },
  },
  {
    name: "rounding per line: 3 × 7.1775 → 3 × 7 = 21, not round(21.5325) = 22",
    input: checkout("CA", [line(1, 99), line(2, 99), line(3, 99)]),
    expect: { lineTaxes: [7, 7, 7], taxTotal: 21, total: 917 },
  },
  {
    name: "half up at exactly .5: 200 × 7.25 % = 14.5 → 15",
    input: checkout("CA", [line(1, 200)]),
    expect: { lineTaxes: [15], total: 814 },
  },
  {
    name: "zero-rated goods in the US add no tax",
    input: checkout("NY", [line(1, 1000, 1, { taxClass: "zero" })]),
    expect: { lineTaxes: [0], shippingTax: 24, total: 1623 },
  },
  {
    name: "CA (Canada): 5 % GST on top, goods and delivery, CAD by weight",
    input: checkout("CAN", [line(1, 1000)]),
    expect: { shipping: 1600, lineTaxes: [50], shippingTax: 80, total: 2730 },
  },

  // ---- Inclusive (VAT) ----
  {
    name: "DE 19 % inside €11.90 is €1.90; delivery €4.90 holds 0.78",
    input: checkout("DE", [line(1, 1190)]),
    expect: { lineTaxes: [190], shipping: 490, shippingTax: 78, taxTotal: 268, taxAdded: 0, total: 1680 },
  },
  {
    name: "DE 7 % reduced on goods, delivery at the standard rate",
    input: checkout("DE", [line(1, 1070, 1, { taxClass: "reduced" })]),
    expect: {
      total: 1560,
      taxes: { "DE-reduced": { net: 1000, amount: 70 }, "DE-standard": { net: 412, amount: 78 } },
    },
  },
  {
    name: "DE mixed classes: a rate row each",
    input: checkout("DE", [line(1, 1190), line(2, 1070, 1, { taxClass: "reduced" })]),
    expect: {
      total: 2750,
      taxTotal: 338,
      taxes: { "DE-reduced": { net: 1000, amount: 70 }, "DE-standard": { net: 1412, amount: 268 } },
    },
  },
  {
    name: "DE €60.00 ships free: no shipping tax",
    input: checkout("DE", [line(1, 3000, 2)]),
    expect: { shipping: 0, shippingTax: 0, taxTotal: 958, total: 6000 },
  },
  {
    name: "FR 5.5 %: 1000 × 5.5/105.5 = 52.13 → 52",
    input: checkout("FR", [line(1, 1000, 1, { taxClass: "reduced" })]),
    expect: { lineTaxes: [52], shippingTax: 82, total: 1490 },
  },
  {
    name: "NL 21 %",
    input: checkout("NL", [line(1, 1210)]),
    expect: { lineTaxes: [210], shippingTax: 85, total: 1700 },
  },
  {
    name: "IE 13.5 % reduced, 23 % on delivery",
    input: checkout("IE", [line(1, 1135, 1, { taxClass: "reduced" })]),
    expect: { lineTaxes: [135], shippingTax: 92, total: 1625 },
  },
  {
    name: "GB zero-rated goods, 20 % inside delivery",
    input: checkout("GB", [line(1, 2000, 1, { taxClass: "zero" })]),
    expect: { lineTaxes: [0], shipping: 395, shippingTax: 66, total: 2395 },
  },
  {
    name: "GB 5 % reduced",
    input: checkout("GB", [line(1, 1050, 1, { taxClass: "reduced" })]),
    expect: { lineTaxes: [50], taxTotal: 116, total: 1445 },
  },

  // ---- JPY (no minor units) and weight bands ----
  {
    name: "JPY: whole yen, 10 % inside, first weight band",
    input: checkout("JP", [line(1, 1000, 3)]),
    expect: { exponent: 0, shipping: 1800, lineTaxes: [273], shippingTax: 164, total: 4800 },
  },
  {
    name: "JPY: 600 g is the second band",
    input: checkout("JP", [line(1, 500, 1, { weightGrams: 600 })]),
    expect: { shipping: 3800, total: 4300 },
  },
  {
    name: "JPY 8 % reduced: 1080 holds 80",
    input: checkout("JP", [line(1, 1080, 1, { taxClass: "reduced" })]),
    expect: { lineTaxes: [80], total: 2880 },
  },

  // ---- Promotions ----
  {
    name: "10 % off the order, tax on the discounted price",
    data: withPromotions([percentOff("p10", 10)]),
    input: checkout("CA", [line(1, 2000)]),
    expect: { discountTotal: 200, lineTaxes: [131], shipping: 599, total: 2530, applied: ["p10"] },
  },
  {
    name: "a fixed amount split by largest remainder, ties to the smaller line id",
    data: withPromotions([amountOff("f100", { USD: 100 })]),
    input: checkout("OR", [line(1, 1000), line(2, 1000), line(3, 1000)]),
    expect: { lineDiscounts: [34, 33, 33], discountTotal: 100, total: 3499 },
  },
  {
    name: "the same split whatever the order the lines come in",
    data: withPromotions([amountOff("f100", { USD: 100 })]),
    input: checkout("OR", [line(3, 1000), line(2, 1000), line(1, 1000)]),
    expect: { lineDiscounts: [33, 33, 34], discountTotal: 100, total: 3499 },
  },
  {
    name: "100 % off: goods free, tax zero, shipping still charged",
    data: withPromotions([percentOff("all", 100)]),
    input: checkout("CA", [line(1, 2000)]),
    expect: { discountTotal: 2000, taxTotal: 0, total: 599 },
  },
  {
    name: "a discount larger than the subtotal stops at the subtotal",
    data: withPromotions([amountOff("big", { USD: 10000 })]),
    input: checkout("CA", [line(1, 2000)]),
    expect: { discountTotal: 2000, lineDiscounts: [2000], total: 599 },
  },
  {
    name: "stacked: category 20 % first, then a $5 code over what is left",
    data: withPromotions([
      percentOff("cat20", 20, { target: { scope: "categories", categoryIds: [CAT_X] } }),
      amountOff("five", { USD: 500 }, { code: "FIVE" }),
    ]),
    input: checkout("OR", [line(1, 1000, 1, { categoryId: CAT_X }), line(2, 1000)], { codes: ["FIVE"] }),
    expect: { lineDiscounts: [422, 278], discountTotal: 700, total: 1899, applied: ["cat20", "five"] },
  },
  {
    name: "two codes: the better one applies, the other is not stackable",
    data: withPromotions([percentOff("ten", 10, { code: "TEN" }), amountOff("five", { USD: 500 }, { code: "FIVE" })]),
    input: checkout("OR", [line(1, 2000)], { codes: ["TEN", "five"] }),
    expect: { discountTotal: 500, total: 2099, applied: ["five"], refused: [["ten", "not_stackable"]] },
  },
  {
    name: "an exclusive code beats the automatic ones when it saves more",
    data: withPromotions([percentOff("auto10", 10), percentOff("vip25", 25, { code: "VIP", exclusive: true })]),
    input: checkout("OR", [line(1, 4000)], { codes: ["vip"] }),
    expect: { discountTotal: 1000, total: 3599, applied: ["vip25"], refused: [["auto10", "not_stackable"]] },
  },
  {
    name: "an exclusive promotion loses to a stack that saves more",
    data: withPromotions([
      percentOff("auto10", 10),
      amountOff("five", { USD: 500 }, { code: "FIVE" }),
      percentOff("excl5", 5, { exclusive: true }),
    ]),
    input: checkout("OR", [line(1, 2000)], { codes: ["FIVE"] }),
    expect: { discountTotal: 700, total: 1899, applied: ["auto10", "five"], refused: [["excl5", "not_stackable"]] },
  },
  {
    name: "expired at endsAt, not yet started before startsAt",
    data: withPromotions([
      percentOff("old", 10, { endsAt: NOW }),
      percentOff("soon", 10, { startsAt: new Date(NOW.getTime() + DAY) }),
      percentOff("live", 10, { startsAt: NOW, endsAt: new Date(NOW.getTime() + 1) }),
    ]),
    input: checkout("OR", [line(1, 2000)]),
    expect: {
      discountTotal: 200,
      applied: ["live"],
      refused: [
        ["old", "expired"],
        ["soon", "not_started"],
      ],
      total: 2399,
    },
  },
  {
    name: "a used-up code is refused as used_up and the automatic one still applies",
    data: {
      ...withPromotions([percentOff("auto5", 5), percentOff("ten", 10, { code: "TEN" })]),
      usedUp: new Set(["ten"]),
    },
    input: checkout("OR", [line(1, 2000)], { codes: ["ten"] }),
    expect: { discountTotal: 100, applied: ["auto5"], refused: [["ten", "used_up"]], total: 2499 },
  },
  {
    name: "a used-up automatic promotion is refused and lets the code apply alone",
    data: {
      ...withPromotions([percentOff("auto5", 5), percentOff("ten", 10, { code: "TEN" })]),
      usedUp: new Set(["auto5"]),
    },
    input: checkout("OR", [line(1, 2000)], { codes: ["TEN"] }),
    expect: { discountTotal: 200, applied: ["ten"], refused: [["auto5", "used_up"]], total: 2399 },
  },
  {
    name: "minimum subtotal: judged before discounts",
    data: withPromotions([
      percentOff("min50", 10, { minSubtotal: { USD: 5000 } }),
      percentOff("min20", 10, { minSubtotal: { USD: 2000 } }),
    ]),
    input: checkout("OR", [line(1, 2000)]),
    expect: { discountTotal: 200, applied: ["min20"], refused: [["min50", "min_subtotal"]], total: 2399 },
  },
  {
    name: "unknown code, other currency, product not in the cart: refused with the reason",
    data: withPromotions([
      amountOff("eur", { EUR: 500 }),
      percentOff("other", 10, { target: { scope: "products", productIds: [prd(99)] } }),
    ]),
    input: checkout("OR", [line(1, 2000)], { codes: ["NOPE"] }),
    expect: {
      discountTotal: 0,
      total: 2599,
      applied: [],
      refused: [
        [null, "unknown_code"],
        ["eur", "not_in_currency"],
        ["other", "no_eligible_lines"],
      ],
    },
  },
  {
    name: "a discount can take the order under the free-shipping threshold",
    data: withPromotions([percentOff("p10", 10)]),
    input: checkout("CA", [line(1, 5200)]),
    expect: { discountTotal: 520, shipping: 599, lineTaxes: [339], total: 5618 },
  },
  {
    name: "inclusive: VAT is taken out of the discounted price",
    data: withPromotions([percentOff("half", 50)]),
    input: checkout("DE", [line(1, 2380)]),
    expect: { discountTotal: 1190, lineTaxes: [190], shippingTax: 78, total: 1680 },
  },
  {
    name: "product-scoped percentage touches only its product",
    data: withPromotions([percentOff("p1", 50, { target: { scope: "products", productIds: [prd(1)] } })]),
    input: checkout("OR", [line(1, 999), line(2, 1000)]),
    expect: { lineDiscounts: [500, 0], discountTotal: 500, total: 2098 },
  },
];

describe("priceCheckout: hand-checked cases", () => {
  it.each(cases)("$name", ({ input, data, expect: want }) => {
    const got = PriceBreakdown.parse(priceCheckout(input, data ?? DEFAULT_PRICING_DATA));
    expect(got.total).toBe(want.total);
    if (want.subtotal !== undefined) expect(got.subtotal).toBe(want.subtotal);
    if (want.discountTotal !== undefined) expect(got.discountTotal).toBe(want.discountTotal);
    if (want.shipping !== undefined) expect(got.shipping.cost).toBe(want.shipping);
    if (want.shippingTax !== undefined) expect(got.shipping.tax).toBe(want.shippingTax);
    if (want.taxTotal !== undefined) expect(got.taxTotal).toBe(want.taxTotal);
    if (want.taxAdded !== undefined) expect(got.taxAdded).toBe(want.taxAdded);
    if (want.exponent !== undefined) expect(got.exponent).toBe(want.exponent);
    if (want.lineTaxes) expect(got.lines.map((l) => l.tax)).toEqual(want.lineTaxes);
    if (want.lineDiscounts) expect(got.lines.map((l) => l.discount)).toEqual(want.lineDiscounts);
    if (want.applied) expect(got.discounts.map((d) => d.promotionId)).toEqual(want.applied);
    if (want.refused) expect(got.refusedPromotions.map((r) => [r.promotionId, r.reason])).toEqual(want.refused);
    if (want.taxes)
      expect(Object.fromEntries(got.taxes.map((t) => [t.rateId, { net: t.net, amount: t.amount }]))).toEqual(
        want.taxes,
      );
  });
});

describe("priceCheckout: refusals name the field", () => {
  const refused = (input: PricingInput) => {
    try {
      priceCheckout(input);
    } catch (error) {
      expect(error).toBeInstanceOf(PricingRefused);
      const { reason, field } = error as PricingRefused;
      return { reason, field };
    }
    throw new Error("priced what it should have refused");
  };

  it.each([
    [
      "an address outside every zone",
      checkout("DE", [line(1, 100)], { shippingAddress: { country: "BR" } }),
      "no_shipping_zone",
      "shippingAddress.country",
    ],
    [
      "a US address without a state",
      checkout("CA", [line(1, 100)], { shippingAddress: { country: "US" } }),
      "no_tax_jurisdiction",
      "shippingAddress.region",
    ],
    [
      "a US state without rates",
      checkout("CA", [line(1, 100)], { shippingAddress: { country: "US", region: "ZZ" } }),
      "no_tax_jurisdiction",
      "shippingAddress.region",
    ],
    [
      "a method of another zone",
      checkout("DE", [line(1, 100)], { shippingMethodId: "us-standard" }),
      "method_not_in_zone",
      "shippingMethodId",
    ],
    [
      "an unknown method",
      checkout("DE", [line(1, 100)], { shippingMethodId: "pigeon" }),
      "unknown_shipping_method",
      "shippingMethodId",
    ],
    [
      "a method not offered in the currency",
      checkout("DE", [line(1, 100)], { currency: "USD" }),
      "method_not_in_currency",
      "currency",
    ],
    [
      "a parcel over the last weight band",
      checkout("JP", [line(1, 100, 11, { weightGrams: 1000 })]),
      "too_heavy_for_method",
      "shippingMethodId",
    ],
  ] as const)("%s", (_, input, reason, field) => {
    expect(refused(input)).toEqual({ reason, field });
  });

  it("refuses malformed input as Invalid: a zero quantity, a repeated line id", () => {
    expect(() => priceCheckout(checkout("CA", [line(1, 100, 0)]))).toThrow(Invalid);
    expect(() => priceCheckout(checkout("CA", [line(1, 100), line(1, 200)]))).toThrow(Invalid);
  });
});
