import type Stripe from "stripe";
import type { ProviderEvent } from "../payments/apply-provider-event";
import { GENERIC_DECLINE } from "../providers/provider";

const STATUS_BY_TYPE: Record<string, ProviderEvent["status"]> = {
  "payment_intent.processing": "processing",
  "payment_intent.succeeded": "succeeded",
  "payment_intent.payment_failed": "failed",
  "payment_intent.canceled": "cancelled",
};

/** A verified Stripe event in our terms; types we do not act on are only recorded. */
export function fromStripeEvent(event: Stripe.Event): ProviderEvent {
  const status = STATUS_BY_TYPE[event.type] ?? null;
  const object = event.data.object as { id?: string; object?: string; metadata?: Record<string, string> };
  const intent = object.object === "payment_intent" ? (object as Stripe.PaymentIntent) : null;
  return {
    id: event.id,
    provider: "stripe",
    type: event.type,
    paymentId: intent?.metadata?.paymentId ?? null,
    providerRef: intent?.id ?? null,
    status: intent ? status : null,
    failureMessage: status === "failed" ? (intent?.last_payment_error?.message ?? GENERIC_DECLINE) : null,
  };
}
