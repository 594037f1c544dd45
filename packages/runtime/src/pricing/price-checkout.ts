import {
  CURRENCIES,
  type FieldError,
  type PriceBreakdown,
  PricingInput,
  type Promotion,
  type ShippingMethod,
  type ShippingZone,
} from "@shop/contracts";
import { Invalid } from "../domain-errors";
import { DEFAULT_SHIPPING_METHODS, DEFAULT_SHIPPING_ZONES, DEFAULT_TAX_TABLE } from "./defaults";
import { applyPromotions } from "./promotions";
import { divideHalfUp } from "./rounding";
import { quoteShipping, zoneFor } from "./shipping";
import { TableTaxProvider, type TaxProvider, type TaxRule } from "./tax";

export type PricingData = {
  promotions: readonly Promotion[];
  zones: readonly ShippingZone[];
  methods: readonly ShippingMethod[];
  tax: TaxProvider;
  /**
   * Ids of promotions whose usage limit is reached (in total, or for this customer), as counted
   * by the caller from its redemption ledger: refused as `used_up` (ADR 0033).
   */
  usedUp?: ReadonlySet<string>;
};

export const DEFAULT_PRICING_DATA: PricingData = {
  promotions: [],
  zones: DEFAULT_SHIPPING_ZONES,
  methods: DEFAULT_SHIPPING_METHODS,
  tax: new TableTaxProvider(DEFAULT_TAX_TABLE),
};

/**
 * Tax in an amount under one rule, rounded half up: out of a gross amount when the rule is
 * inclusive (amount × r / (1 + r)), on top of a net amount when exclusive (amount × r).
 */
function taxOf(amount: number, rule: TaxRule): number {
  const n = BigInt(amount) * BigInt(rule.ratePpm);
  return divideHalfUp(n, rule.inclusive ? 1_000_000n + BigInt(rule.ratePpm) : 1_000_000n);
}

/**
 * Prices a checkout (ADR 0028): pure and deterministic — the same input and data give the same
 * breakdown, whatever the order of the lines. Promotions are chosen and split over lines first,
 * shipping is quoted on the discounted goods, then tax is rounded per line (and for shipping)
 * so every total is the exact sum of its parts.
 * Throws `Invalid` for malformed input and `PricingRefused` (422, naming the field) for input
 * that cannot be priced (an address outside every zone, a method that does not serve it…).
 */
export function priceCheckout(raw: PricingInput, data: PricingData = DEFAULT_PRICING_DATA): PriceBreakdown {
  const parsed = PricingInput.safeParse(raw);
  if (!parsed.success)
    throw new Invalid(
      parsed.error.issues.map(
        (i): FieldError => ({ path: i.path.map(String).join(".") || "input", message: i.message }),
      ),
      "pricing input",
    );
  const input = parsed.data;
  const ids = new Set(input.lines.map((l) => l.lineId));
  if (ids.size !== input.lines.length)
    throw new Invalid([{ path: "lines", message: "line ids must be unique" }], "pricing input");
  const { currency, shippingAddress: address } = input;

  // The address first: one outside every zone, or without tax rules, is refused before anything is computed.
  zoneFor(data.zones, address.country);
  const rules = data.tax.rulesFor(address);
  const subtotals = input.lines.map((l) => l.unitPrice * l.quantity);
  const promotions = applyPromotions(data.promotions, {
    currency,
    now: input.now,
    codes: input.codes,
    ...(data.usedUp ? { usedUp: data.usedUp } : {}),
    lines: input.lines.map((l, i) => ({ ...l, subtotal: subtotals[i] as number })),
  });

  const lines = input.lines.map((l, i) => {
    const subtotal = subtotals[i] as number;
    const discount = promotions.lineDiscounts[i] as number;
    const rule = rules.goods[l.taxClass];
    const tax = taxOf(subtotal - discount, rule);
    return {
      lineId: l.lineId,
      productId: l.productId,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      subtotal,
      discount,
      taxRateId: rule.rateId,
      tax,
      taxInclusive: rule.inclusive,
      total: subtotal - discount + (rule.inclusive ? 0 : tax),
    };
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const subtotal = sum(subtotals);
  const discountTotal = sum(promotions.lineDiscounts);

  const quote = quoteShipping(data, {
    country: address.country,
    methodId: input.shippingMethodId,
    currency,
    merchandise: subtotal - discountTotal,
    weightGrams: sum(input.lines.map((l) => l.weightGrams * l.quantity)),
  });
  const shippingRule = rules.shipping;
  const shippingTax = shippingRule ? taxOf(quote.cost, shippingRule) : 0;
  const shippingInclusive = shippingRule?.inclusive ?? false;

  // Per rate: the lines and shipping taxed at it, with the amount net of the tax.
  const taxes = new Map<string, PriceBreakdown["taxes"][number]>();
  const addTax = (rule: TaxRule, gross: number, tax: number) => {
    const row = taxes.get(rule.rateId) ?? {
      rateId: rule.rateId,
      ratePpm: rule.ratePpm,
      inclusive: rule.inclusive,
      net: 0,
      amount: 0,
    };
    row.net += rule.inclusive ? gross - tax : gross;
    row.amount += tax;
    taxes.set(rule.rateId, row);
  };
  input.lines.forEach((l, i) => {
    const line = lines[i] as (typeof lines)[number];
    addTax(rules.goods[l.taxClass], line.subtotal - line.discount, line.tax);
  });
  if (shippingRule) addTax(shippingRule, quote.cost, shippingTax);

  const taxRows = [...taxes.values()].sort((a, b) => (a.rateId < b.rateId ? -1 : 1));
  const taxAdded = sum(lines.map((l) => (l.taxInclusive ? 0 : l.tax))) + (shippingInclusive ? 0 : shippingTax);
  return {
    currency,
    exponent: CURRENCIES[currency],
    lines,
    subtotal,
    discounts: promotions.applied,
    discountTotal,
    refusedPromotions: promotions.refused,
    shipping: {
      ...quote,
      taxRateId: shippingRule?.rateId ?? null,
      tax: shippingTax,
      taxInclusive: shippingInclusive,
    },
    taxes: taxRows,
    taxTotal: sum(taxRows.map((t) => t.amount)),
    taxAdded,
    total: subtotal - discountTotal + quote.cost + taxAdded,
  };
}
