import Stripe from "stripe";
import {
  type CancelResult,
  type ConfirmInput,
  type ConfirmResult,
  GENERIC_DECLINE,
  type PaymentProvider,
  ProviderUnavailableError,
  type RefundInput,
  type RefundOutcome,
} from "./provider";

export type StripeOptions = { timeoutMs?: number; maxNetworkRetries?: number };

const REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

/** A Stripe client on the Workers fetch API; `fetch` is looked up per call so it can be intercepted. */
export function stripeClient(secretKey: string, opts: StripeOptions = {}): Stripe {
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient((input, init) => fetch(input, init)),
    timeout: opts.timeoutMs ?? 10_000,
    maxNetworkRetries: opts.maxNetworkRetries ?? 1,
  });
}

function mapIntent(pi: Stripe.PaymentIntent): ConfirmResult {
  switch (pi.status) {
    case "succeeded":
      return { providerRef: pi.id, status: "succeeded", failureMessage: null };
    case "processing":
      return { providerRef: pi.id, status: "processing", failureMessage: null };
    case "requires_action":
      return {
        providerRef: pi.id,
        status: "failed",
        failureMessage: "Your bank asked for an authentication step this checkout cannot do. Please use another card.",
      };
    default:
      return {
        providerRef: pi.id,
        status: "failed",
        failureMessage: pi.last_payment_error?.message ?? GENERIC_DECLINE,
      };
  }
}

/** Turns transport failures and Stripe 5xx/429 into "undecided, retry later". */
function unavailable(err: unknown): never {
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError
  ) {
    throw new ProviderUnavailableError(`stripe unavailable: ${err.type}`);
  }
  throw err;
}

/** Stripe PaymentIntents: create + confirm server-side, cancel, refund. No card data passes through us. */
export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  private readonly stripe: Stripe;

  constructor(secretKey: string, opts: StripeOptions = {}) {
    this.stripe = stripeClient(secretKey, opts);
  }

  async confirm(input: ConfirmInput): Promise<ConfirmResult> {
    try {
      const pi = await this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          payment_method: input.paymentMethod,
          confirm: true,
          automatic_payment_methods: { enabled: true, allow_redirects: "never" },
          metadata: { paymentId: input.paymentId, orderId: input.orderId },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return mapIntent(pi);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) {
        return {
          providerRef: err.payment_intent?.id ?? null,
          status: "failed",
          failureMessage: err.message || GENERIC_DECLINE,
        };
      }
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "resource_missing") {
        return { providerRef: null, status: "failed", failureMessage: "This payment method could not be used." };
      }
      return unavailable(err);
    }
  }

  async cancel(providerRef: string): Promise<CancelResult> {
    try {
      await this.stripe.paymentIntents.cancel(providerRef);
      return { status: "cancelled" };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "payment_intent_unexpected_state") {
        // Too late to cancel: report where the intent actually is.
        const pi = await this.stripe.paymentIntents.retrieve(providerRef).catch(unavailable);
        if (pi.status === "canceled") return { status: "cancelled" };
        const mapped = mapIntent(pi).status;
        return { status: mapped };
      }
      return unavailable(err);
    }
  }

  async refund(input: RefundInput): Promise<RefundOutcome> {
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: input.providerRef,
          amount: input.amount,
          ...(REFUND_REASONS.has(input.reason) ? { reason: input.reason as Stripe.RefundCreateParams.Reason } : {}),
          metadata: { paymentId: input.paymentId, refundId: input.refundId, reason: input.reason.slice(0, 500) },
        },
        { idempotencyKey: `refund-${input.refundId}` },
      );
      if (refund.status === "failed" || refund.status === "canceled") {
        return { ok: false, message: "The payment provider refused the refund." };
      }
      return { ok: true, providerRef: refund.id };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError) {
        return { ok: false, message: err.message };
      }
      return unavailable(err);
    }
  }
}
