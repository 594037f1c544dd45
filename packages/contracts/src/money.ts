import { z } from "zod";

/** Currencies the shop sells in, with their minor-unit exponent (ISO 4217). */
export const CURRENCIES = { USD: 2, EUR: 2, GBP: 2, JPY: 0, CHF: 2, CAD: 2, AUD: 2, SEK: 2 } as const;
export type Currency = keyof typeof CURRENCIES;
export const Currency = z.enum(Object.keys(CURRENCIES) as [Currency, ...Currency[]]);

/** An amount in minor units (cents); never a float. 0 .. 10^11 keeps sums exact in doubles. */
export const MinorUnits = z.int().min(0).max(100_000_000_000);

export const Money = z.object({ amount: MinorUnits, currency: Currency }).strict();
export type Money = z.infer<typeof Money>;

/**
 * Number formats by locale and currency, made once per isolate: building an `Intl.NumberFormat`
 * costs far more than formatting with one, and an email formats every line and total. Bounded
 * (a locale could come from a client): full, it starts over.
 */
const FORMATS = new Map<string, Intl.NumberFormat>();
const MAX_FORMATS = 64;

/** Formats minor units for people, e.g. 1999 USD → "$19.99", 500 JPY → "¥500". */
export function formatMoney(amount: number, currency: Currency, locale = "en-US"): string {
  const exponent = CURRENCIES[currency];
  const key = `${locale} ${currency}`;
  let format = FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    if (FORMATS.size >= MAX_FORMATS) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format.format(amount / 10 ** exponent);
}
