import type { TaxClass, TaxJurisdiction } from "@shop/contracts";
import { PricingRefused } from "./errors";

/** One rate as applied: `rateId` names it in the breakdown (e.g. `DE-reduced`, `US-CA-standard`). */
export type TaxRule = { rateId: string; ratePpm: number; inclusive: boolean };
/** The rules at one destination: per class of goods, and for shipping (null: not taxed). */
export type TaxRules = { goods: Record<TaxClass, TaxRule>; shipping: TaxRule | null };
export type TaxDestination = { country: string; region?: string | undefined };

/**
 * Where tax rates come from. Synchronous on purpose: pricing stays a pure function, and a
 * remote provider (a tax service) is asked before pricing and handed in as its answer.
 * Throws `PricingRefused` naming the address field when it has no rules for the destination.
 */
export interface TaxProvider {
  rulesFor(destination: TaxDestination): TaxRules;
}

/**
 * The default provider: a table of jurisdictions (countries, and US states as `region`). A
 * country with state entries needs a listed state; one without needs none.
 */
export class TableTaxProvider implements TaxProvider {
  constructor(private readonly table: readonly TaxJurisdiction[]) {}

  rulesFor({ country, region }: TaxDestination): TaxRules {
    const entries = this.table.filter((j) => j.country === country);
    if (entries.length === 0)
      throw new PricingRefused("no_tax_jurisdiction", "shippingAddress.country", `No tax rates for ${country}.`);
    const byRegion = entries.some((j) => j.region !== undefined);
    const code = region?.trim().toUpperCase();
    const entry = byRegion ? entries.find((j) => j.region === code) : entries[0];
    if (!entry)
      throw new PricingRefused(
        "no_tax_jurisdiction",
        "shippingAddress.region",
        code ? `No tax rates for ${country}-${code}.` : `${country} needs a state or region.`,
      );
    const prefix = entry.region ? `${country}-${entry.region}` : country;
    const rule = (taxClass: TaxClass): TaxRule => ({ rateId: `${prefix}-${taxClass}`, ...entry.rates[taxClass] });
    return {
      goods: { standard: rule("standard"), reduced: rule("reduced"), zero: rule("zero") },
      shipping: entry.shippingTaxClass ? rule(entry.shippingTaxClass) : null,
    };
  }
}
