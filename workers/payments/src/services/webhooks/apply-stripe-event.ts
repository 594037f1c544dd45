import type Stripe from "stripe";
import type { PaymentsContext } from "../../env";
import { type ApplyResult, applyProviderEvent } from "../payments/apply-provider-event";
import { fromStripeEvent } from "./stripe-event";

/** A verified Stripe event, applied as every gateway outcome is (duplicates change nothing). */
export function applyStripeEvent(ctx: PaymentsContext, event: Stripe.Event): Promise<ApplyResult> {
  return applyProviderEvent(ctx, fromStripeEvent(event));
}
