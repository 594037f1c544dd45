import type { Currency, ShippingMethod, ShippingZone } from "@shop/contracts";
import { PricingRefused } from "./errors";

export type ShippingQuote = { methodId: string; name: string; zoneId: string; cost: number };

/** The zone that serves a country; none → refused, naming the address's country. */
export function zoneFor(zones: readonly ShippingZone[], country: string): ShippingZone {
  const zone = zones.find((z) => z.countries.includes(country));
  if (!zone) throw new PricingRefused("no_shipping_zone", "shippingAddress.country", `We do not ship to ${country}.`);
  return zone;
}

/**
 * The cost of the chosen method to the destination country. `merchandise` is the discounted
 * total of the goods as shown (what a free-shipping threshold is measured against).
 */
export function quoteShipping(
  data: { zones: readonly ShippingZone[]; methods: readonly ShippingMethod[] },
  order: { country: string; methodId: string; currency: Currency; merchandise: number; weightGrams: number },
): ShippingQuote {
  const zone = zoneFor(data.zones, order.country);
  const method = data.methods.find((m) => m.id === order.methodId);
  if (!method)
    throw new PricingRefused("unknown_shipping_method", "shippingMethodId", `No shipping method ${order.methodId}.`);
  if (method.zoneId !== zone.id)
    throw new PricingRefused(
      "method_not_in_zone",
      "shippingMethodId",
      `${method.name} does not ship to ${order.country}.`,
    );
  const rate = method.rate;
  let cost: number | undefined;
  if (rate.kind === "flat") cost = rate.cost[order.currency];
  else if (rate.kind === "free_above") {
    const threshold = rate.threshold[order.currency];
    cost = threshold !== undefined && order.merchandise >= threshold ? 0 : rate.cost[order.currency];
  } else {
    const band = rate.bands.find((b) => order.weightGrams <= b.upToGrams);
    if (!band)
      throw new PricingRefused(
        "too_heavy_for_method",
        "shippingMethodId",
        `${method.name} takes parcels up to ${rate.bands.at(-1)?.upToGrams} g; this one weighs ${order.weightGrams} g.`,
      );
    cost = band.cost[order.currency];
  }
  if (cost === undefined)
    throw new PricingRefused(
      "method_not_in_currency",
      "currency",
      `${method.name} is not offered in ${order.currency}.`,
    );
  return { methodId: method.id, name: method.name, zoneId: zone.id, cost };
}
