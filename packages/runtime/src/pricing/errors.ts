import { Unprocessable } from "../domain-errors";

/** Why a checkout cannot be priced as asked. */
export type PricingRefusal =
  | "no_shipping_zone"
  | "unknown_shipping_method"
  | "method_not_in_zone"
  | "method_not_in_currency"
  | "too_heavy_for_method"
  | "no_tax_jurisdiction";

/**
 * Well-formed input that cannot be priced: an address outside every shipping zone, a method
 * that does not serve it… `field` names the input field to change (the path `PlaceOrderBody`
 * uses for the address), so the caller's problem+json points at it (422).
 */
export class PricingRefused extends Unprocessable {
  constructor(
    readonly reason: PricingRefusal,
    readonly field: string,
    detail: string,
  ) {
    super(detail, [{ path: field, message: detail }]);
    this.name = "PricingRefused";
  }
}
