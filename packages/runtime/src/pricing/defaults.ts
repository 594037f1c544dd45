import type { ShippingMethod, ShippingZone, TaxJurisdiction } from "@shop/contracts";

/*
 * Default pricing data (ADR 0028). ILLUSTRATIVE: the rates are the published headline rates
 * (state-level only for the US, no county or city add-ons) as of 2026 and are no tax advice; an
 * admin API is to own this data later, which is why it is plain data validated by the schemas
 * in @shop/contracts.
 */

const pct = (percent: number) => Math.round(percent * 10_000);
const inclusive = (standard: number, reduced: number, zero = 0) => ({
  standard: { ratePpm: pct(standard), inclusive: true },
  reduced: { ratePpm: pct(reduced), inclusive: true },
  zero: { ratePpm: pct(zero), inclusive: true },
});
/** US sales tax: one state rate for every class of goods here; zero-rated goods stay zero. */
const salesTax = (region: string, rate: number, shippingTaxed: boolean): TaxJurisdiction => ({
  country: "US",
  region,
  rates: {
    standard: { ratePpm: pct(rate), inclusive: false },
    reduced: { ratePpm: pct(rate), inclusive: false },
    zero: { ratePpm: 0, inclusive: false },
  },
  shippingTaxClass: shippingTaxed ? "standard" : null,
});
/** VAT-style: shipping follows the standard rate (a simplification of "follows the goods"). */
const vat = (country: string, standard: number, reduced: number): TaxJurisdiction => ({
  country,
  rates: inclusive(standard, reduced),
  shippingTaxClass: "standard",
});

export const DEFAULT_TAX_TABLE: TaxJurisdiction[] = [
  // US: base state rates; CA does not tax separately stated delivery, NY and TX do.
  salesTax("CA", 7.25, false),
  salesTax("NY", 4, true),
  salesTax("TX", 6.25, true),
  salesTax("WA", 6.5, true),
  salesTax("FL", 6, true),
  salesTax("OR", 0, false),
  vat("DE", 19, 7),
  vat("FR", 20, 5.5),
  vat("NL", 21, 9),
  vat("IE", 23, 13.5),
  vat("AT", 20, 10),
  vat("BE", 21, 6),
  vat("ES", 21, 10),
  vat("IT", 22, 10),
  vat("SE", 25, 12),
  vat("GB", 20, 5),
  vat("CH", 8.1, 2.6),
  vat("JP", 10, 8),
  vat("AU", 10, 0),
  // Canada: the federal GST only (provinces add PST/HST), added on top like US sales tax.
  {
    country: "CA",
    rates: {
      standard: { ratePpm: pct(5), inclusive: false },
      reduced: { ratePpm: pct(5), inclusive: false },
      zero: { ratePpm: 0, inclusive: false },
    },
    shippingTaxClass: "standard",
  },
];

export const DEFAULT_SHIPPING_ZONES: ShippingZone[] = [
  { id: "us", name: "United States", countries: ["US"] },
  { id: "eu", name: "European Union", countries: ["AT", "BE", "DE", "ES", "FR", "IE", "IT", "NL", "SE"] },
  { id: "uk", name: "United Kingdom", countries: ["GB"] },
  { id: "world", name: "Rest of world", countries: ["AU", "CA", "CH", "JP"] },
];

export const DEFAULT_SHIPPING_METHODS: ShippingMethod[] = [
  {
    id: "us-standard",
    zoneId: "us",
    name: "Standard (free over $50)",
    rate: { kind: "free_above", cost: { USD: 599 }, threshold: { USD: 5000 } },
  },
  { id: "us-express", zoneId: "us", name: "Express", rate: { kind: "flat", cost: { USD: 1999 } } },
  {
    id: "eu-standard",
    zoneId: "eu",
    name: "Standard (free over €60)",
    rate: { kind: "free_above", cost: { EUR: 490 }, threshold: { EUR: 6000 } },
  },
  { id: "eu-express", zoneId: "eu", name: "Express", rate: { kind: "flat", cost: { EUR: 1490 } } },
  { id: "uk-standard", zoneId: "uk", name: "Standard", rate: { kind: "flat", cost: { GBP: 395 } } },
  {
    id: "world-weight",
    zoneId: "world",
    name: "International (by weight)",
    rate: {
      kind: "weight",
      bands: [
        { upToGrams: 500, cost: { USD: 1200, EUR: 1100, GBP: 950, JPY: 1800, CHF: 1100, CAD: 1600, AUD: 1800 } },
        { upToGrams: 2000, cost: { USD: 2500, EUR: 2300, GBP: 2000, JPY: 3800, CHF: 2300, CAD: 3400, AUD: 3800 } },
        { upToGrams: 10000, cost: { USD: 6000, EUR: 5500, GBP: 4800, JPY: 9000, CHF: 5500, CAD: 8000, AUD: 9000 } },
      ],
    },
  },
];
