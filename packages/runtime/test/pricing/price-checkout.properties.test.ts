import { PriceBreakdown, type PricingInput, type Promotion } from "@shop/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PRICING_DATA,
  DEFAULT_TAX_TABLE,
  type PricingData,
  priceCheckout,
  TableTaxProvider,
} from "../../src/pricing";
import { CAT_X, MARKETS, NOW, prd } from "./fixtures";

const INCLUSIVE_MARKETS = ["DE", "FR", "NL", "IE", "GB", "JP"] as const;
const ALL_MARKETS = [...INCLUSIVE_MARKETS, "CA", "NY", "TX", "OR", "CAN"] as const;

/** `tieProne`: few distinct prices and quantities, so the largest-remainder split meets ties. */
const lineArb = (n: number, tieProne = false) =>
  fc.record({
    lineId: fc.constant(`l${n}`),
    productId: fc.constant(prd(n)),
    categoryId: fc.constantFrom(null, CAT_X),
    // Repeated prices make ties in the largest-remainder split, where input order could leak in.
    unitPrice: tieProne
      ? fc.constantFrom(99, 1000, 1001)
      : fc.oneof(
          fc.constantFrom(0, 99, 1000),
          fc.integer({ min: 0, max: 100 }),
          fc.integer({ min: 0, max: 100_000_000 }),
        ),
    quantity: tieProne ? fc.constantFrom(1, 2) : fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 99 })),
    taxClass: fc.constantFrom("standard" as const, "reduced" as const, "zero" as const),
    // Light enough that the heaviest cart stays inside the last weight band (10 kg).
    weightGrams: fc.integer({ min: 0, max: 12 }),
  });

const linesArb = (tieProne = false) =>
  fc
    .integer({ min: 1, max: 8 })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => lineArb(i, tieProne))));

const promotionArb = (i: number): fc.Arbitrary<Promotion> =>
  fc.record({
    id: fc.constant(`p${i}`),
    code: fc.constantFrom(null, `C${i}`),
    discount: fc.oneof(
      fc.record({ kind: fc.constant("percentage" as const), percentPpm: fc.integer({ min: 1, max: 1_000_000 }) }),
      fc.record({
        kind: fc.constant("fixed" as const),
        amount: fc.record({
          USD: fc.integer({ min: 0, max: 10_000_000 }),
          EUR: fc.integer({ min: 0, max: 10_000_000 }),
          GBP: fc.integer({ min: 0, max: 10_000_000 }),
          JPY: fc.integer({ min: 0, max: 10_000_000 }),
          CAD: fc.integer({ min: 0, max: 10_000_000 }),
        }),
      }),
    ),
    target: fc.oneof(
      fc.constant({ scope: "order" as const }),
      fc.constant({ scope: "categories" as const, categoryIds: [CAT_X] as string[] }),
      fc.subarray([prd(0), prd(1), prd(2), prd(9)], { minLength: 1 }).map((productIds) => ({
        scope: "products" as const,
        productIds,
      })),
    ),
    exclusive: fc.boolean(),
  });

const promotionsArb = fc
  .integer({ min: 0, max: 4 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => promotionArb(i))));

const checkoutArb = (markets: readonly (keyof typeof MARKETS)[], tieProne = false) =>
  fc.record({
    market: fc.constantFrom(...markets),
    lines: linesArb(tieProne),
    promotions: promotionsArb,
    codes: fc.subarray(["C0", "C1", "C2", "C3", "c1"]),
  });

type Generated = {
  market: keyof typeof MARKETS;
  lines: PricingInput["lines"];
  promotions: Promotion[];
  codes: string[];
};
const inputOf = (g: Generated): PricingInput => ({ ...MARKETS[g.market], lines: g.lines, codes: g.codes, now: NOW });
const dataOf = (g: Generated): PricingData => ({ ...DEFAULT_PRICING_DATA, promotions: g.promotions });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const RUNS = { numRuns: 300 };

describe("priceCheckout: properties", () => {
  it("grand total = subtotal − discounts + shipping + exclusive tax, and is never negative", () => {
    fc.assert(
      fc.property(checkoutArb(ALL_MARKETS), (g) => {
        const b = PriceBreakdown.parse(priceCheckout(inputOf(g), dataOf(g)));
        const exclusiveTax =
          sum(b.lines.filter((l) => !l.taxInclusive).map((l) => l.tax)) +
          (b.shipping.taxInclusive ? 0 : b.shipping.tax);
        expect(b.taxAdded).toBe(exclusiveTax);
        expect(b.total).toBe(b.subtotal - b.discountTotal + b.shipping.cost + exclusiveTax);
        expect(b.total).toBeGreaterThanOrEqual(0);
        for (const l of b.lines) {
          expect(l.discount).toBeLessThanOrEqual(l.subtotal);
          expect(l.total).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it("parts sum exactly to the totals", () => {
    fc.assert(
      fc.property(checkoutArb(ALL_MARKETS), (g) => {
        const b = priceCheckout(inputOf(g), dataOf(g));
        expect(sum(b.lines.map((l) => l.subtotal))).toBe(b.subtotal);
        expect(sum(b.lines.map((l) => l.discount))).toBe(b.discountTotal);
        expect(sum(b.discounts.map((d) => d.amount))).toBe(b.discountTotal);
        expect(sum(b.lines.map((l) => l.tax)) + b.shipping.tax).toBe(b.taxTotal);
        expect(sum(b.taxes.map((t) => t.amount))).toBe(b.taxTotal);
        const shippingCharged = b.shipping.cost + (b.shipping.taxInclusive ? 0 : b.shipping.tax);
        expect(sum(b.lines.map((l) => l.total)) + shippingCharged).toBe(b.total);
        // Net per rate + inclusive tax + exclusive… : the rate rows cover every line and the shipping.
        const gross = sum(b.taxes.map((t) => t.net + (t.inclusive ? t.amount : 0)));
        const goods = b.subtotal - b.discountTotal;
        expect(gross).toBe(goods + (b.shipping.taxRateId ? b.shipping.cost : 0));
      }),
      RUNS,
    );
  });

  it("inclusive tax never changes the grand total", () => {
    const untaxed = new TableTaxProvider(
      DEFAULT_TAX_TABLE.map((j) => ({
        ...j,
        rates: {
          standard: { ...j.rates.standard, ratePpm: 0 },
          reduced: { ...j.rates.reduced, ratePpm: 0 },
          zero: { ...j.rates.zero, ratePpm: 0 },
        },
      })),
    );
    fc.assert(
      fc.property(checkoutArb(INCLUSIVE_MARKETS), (g) => {
        const taxed = priceCheckout(inputOf(g), dataOf(g));
        const bare = priceCheckout(inputOf(g), { ...dataOf(g), tax: untaxed });
        expect(bare.taxTotal).toBe(0);
        expect(taxed.total).toBe(bare.total);
        expect(taxed.lines.map((l) => l.total)).toEqual(bare.lines.map((l) => l.total));
      }),
      RUNS,
    );
  });

  it("does not depend on the order of the lines", () => {
    fc.assert(
      fc.property(
        fc
          .oneof(checkoutArb(ALL_MARKETS), checkoutArb(ALL_MARKETS, true))
          .chain((g) => fc.tuple(fc.constant(g), fc.shuffledSubarray(g.lines, { minLength: g.lines.length }))),
        ([g, shuffled]) => {
          const a = priceCheckout(inputOf(g), dataOf(g));
          const b = priceCheckout(inputOf({ ...g, lines: shuffled }), dataOf(g));
          const byId = (x: typeof a) => Object.fromEntries(x.lines.map((l) => [l.lineId, l]));
          expect(byId(b)).toEqual(byId(a));
          expect({ ...b, lines: [] }).toEqual({ ...a, lines: [] });
        },
      ),
      RUNS,
    );
  });
});
