import Stripe from "stripe";
import { type ConfirmResult, GENERIC_DECLINE, type IntentState, ProviderUnavailableError } from "./provider";

/** Shopper-readable words for Stripe's permanent request errors (Stripe's own messages are for developers). */
const REQUEST_ERROR_MESSAGES: Record<string, string> = {
  resource_missing: "This payment method could not be used. Please use another one.",
  amount_too_small: "The amount is below the minimum the payment provider accepts.",
  idempotency_error: "This payment could not be completed. Please start the checkout again.",
};
const OTHER_REQUEST_ERROR = "This payment could not be processed. Please use another payment method.";

/**
 * The code we record for a decline: Stripe's `decline_code` when it says more than the error
 * code (`insufficient_funds` under `card_declined`); `generic_decline` says nothing more, so
 * `card_declined` it is — the same codes the simulated provider records.
 */
function declineCode(err: { code?: string | null; decline_code?: string | null }): string {
  const decline = err.decline_code ?? null;
  if (decline && decline !== "generic_decline") return decline;
  return err.code ?? "card_declined";
}

/** Where a PaymentIntent stands, in our terms. A declined intent waits for another method at Stripe: to us it failed. */
export function intentState(pi: Stripe.PaymentIntent): IntentState {
  const failure = pi.last_payment_error;
  const base = { providerRef: pi.id, failureMessage: null, failureCode: null };
  switch (pi.status) {
    case "succeeded":
      return { ...base, status: "succeeded" };
    // Manual capture is not used; an authorised-but-uncaptured intent is money on its way.
    case "processing":
    case "requires_capture":
      return { ...base, status: "processing" };
    case "requires_action":
      return { ...base, status: "requires_action" };
    case "canceled":
      return { ...base, status: "cancelled" };
    default:
      // requires_payment_method / requires_confirmation: failed if an attempt was refused, else not yet paid.
      return failure
        ? {
            ...base,
            status: "failed",
            failureMessage: failure.message ?? GENERIC_DECLINE,
            failureCode: declineCode(failure),
          }
        : { ...base, status: "requires_payment" };
  }
}

/** The answer to create+confirm. `requires_action` without a redirect URL is handled by the caller. */
export function confirmResult(pi: Stripe.PaymentIntent): ConfirmResult {
  const state = intentState(pi);
  const nextActionUrl = pi.next_action?.redirect_to_url?.url ?? null;
  const done = { providerRef: pi.id, failureMessage: null, failureCode: null, nextActionUrl: null };
  switch (state.status) {
    case "succeeded":
    case "processing":
      return { ...done, status: state.status };
    case "requires_action":
      return { ...done, status: "requires_action", nextActionUrl };
    case "cancelled":
      return { ...done, status: "failed", failureMessage: "This payment was cancelled.", failureCode: "canceled" };
    default:
      return {
        ...done,
        status: "failed",
        failureMessage: state.failureMessage ?? GENERIC_DECLINE,
        failureCode: state.failureCode ?? "card_declined",
      };
  }
}

/**
 * A Stripe error that is a final answer to this request (a decline, or a request Stripe will
 * refuse however often it is sent), as a failed confirmation; `null` for anything else.
 */
export function permanentFailure(err: unknown): ConfirmResult | null {
  if (err instanceof Stripe.errors.StripeCardError) {
    return {
      providerRef: err.payment_intent?.id ?? null,
      status: "failed",
      failureMessage: err.message || GENERIC_DECLINE,
      failureCode: declineCode(err),
      nextActionUrl: null,
    };
  }
  // resource_missing (unknown payment method), amount_too_small, parameter errors, and the same
  // idempotency key reused with other parameters: sending it again gets the same answer.
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
    const code =
      err.code ?? (err instanceof Stripe.errors.StripeIdempotencyError ? "idempotency_error" : "invalid_request");
    return {
      providerRef: err.payment_intent?.id ?? null,
      status: "failed",
      failureMessage: REQUEST_ERROR_MESSAGES[code] ?? OTHER_REQUEST_ERROR,
      failureCode: code,
      nextActionUrl: null,
    };
  }
  return null;
}

/**
 * Errors where nothing was decided: network, timeouts, Stripe 5xx, 409 (a concurrent request
 * with the same idempotency key), 429. Also a wrong, revoked or under-privileged key (401/403):
 * an operator can fix the key, and a retry after the fix charges once thanks to the
 * idempotency key, so the payment waits rather than failing the shopper's order.
 */
export function unavailable(err: unknown): never {
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError
  ) {
    throw new ProviderUnavailableError(`stripe unavailable: ${err.type}`);
  }
  if (err instanceof Stripe.errors.StripeAuthenticationError || err instanceof Stripe.errors.StripePermissionError) {
    console.error(
      JSON.stringify({ level: "error", msg: "stripe refused our API key: check STRIPE_SECRET_KEY", type: err.type }),
    );
    throw new ProviderUnavailableError(`stripe refused the API key: ${err.type}`);
  }
  throw err;
}
