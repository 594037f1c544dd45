import type Stripe from "stripe";
import type { ProviderEvent } from "../payments/apply-provider-event";
import { GENERIC_DECLINE } from "../providers/provider";

const STATUS_BY_TYPE: Record<string, ProviderEvent["status"]> = {
  "payment_intent.requires_action": "requires_action",
  "payment_intent.processing": "processing",
  "payment_intent.succeeded": "succeeded",
  "payment_intent.payment_failed": "failed",
  "payment_intent.canceled": "cancelled",
};

/** `refund.created` / `refund.updated`: a refund, ours or made in the Stripe dashboard. */
function fromRefund(event: Stripe.Event, refund: Stripe.Refund): ProviderEvent {
  const intent = refund.payment_intent;
  return {
    id: event.id,
    provider: "stripe",
    type: event.type,
    paymentId: refund.metadata?.paymentId ?? null,
    providerRef: typeof intent === "string" ? intent : (intent?.id ?? null),
    status: null,
    failureMessage: null,
    refund: {
      providerRef: refund.id,
      amount: refund.amount,
      succeeded: refund.status === "succeeded",
      ourRefundId: refund.metadata?.refundId ?? null,
    },
  };
}

/** A verified Stripe event in our terms; types we do not act on are only recorded. */
export function fromStripeEvent(event: Stripe.Event): ProviderEvent {
  const status = STATUS_BY_TYPE[event.type] ?? null;
  const object = event.data.object as { id?: string; object?: string; metadata?: Record<string, string> };
  if (object.object === "refund" && event.type.startsWith("refund.")) return fromRefund(event, object as Stripe.Refund);
  const intent = object.object === "payment_intent" ? (object as Stripe.PaymentIntent) : null;
  return {
    id: event.id,
    provider: "stripe",
    type: event.type,
    paymentId: intent?.metadata?.paymentId ?? null,
    providerRef: intent?.id ?? null,
    status: intent ? status : null,
    failureMessage: status === "failed" ? (intent?.last_payment_error?.message ?? GENERIC_DECLINE) : null,
    failureCode:
      status === "failed"
        ? (intent?.last_payment_error?.decline_code ?? intent?.last_payment_error?.code ?? "card_declined")
        : null,
    nextActionUrl: status === "requires_action" ? (intent?.next_action?.redirect_to_url?.url ?? null) : null,
  };
}
