import { z } from "zod";

/** Currencies the shop sells in, with their minor-unit exponent (ISO 4217). */
export const CURRENCIES = { USD: 2, EUR: 2, GBP: 2, JPY: 0, CHF: 2, CAD: 2, AUD: 2, SEK: 2 } as const;
export type Currency = keyof typeof CURRENCIES;
export const Currency = z.enum(Object.keys(CURRENCIES) as [Currency, ...Currency[]]);

/** An amount in minor units (cents); never a float. 0 .. 10^11 keeps sums exact in doubles. */
export const MinorUnits = z.int().min(0).max(100_000_000_000);

export const Money = z.object({ amount: MinorUnits, currency: Currency }).strict();
export type Money = z.infer<typeof Money>;

/** Formats minor units for people, e.g. 1999 USD → "$19.99", 500 JPY → "¥500". */
export function formatMoney(amount: number, currency: Currency, locale = "en-US"): string {
  const exponent = CURRENCIES[currency];
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(amount / 10 ** exponent);
}
