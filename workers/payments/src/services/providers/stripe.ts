import { TEST_PAYMENT_METHODS } from "@shop/contracts";
import Stripe from "stripe";
import type {
  CancelResult,
  ConfirmInput,
  ConfirmResult,
  IntentState,
  PaymentProvider,
  RefundInput,
  RefundOutcome,
} from "./provider";
import { confirmResult, intentState, permanentFailure, unavailable } from "./stripe-mapping";

export type StripeOptions = {
  timeoutMs?: number;
  maxNetworkRetries?: number;
  /** Another Stripe API base (a fake Stripe in tests, e.g. http://127.0.0.1:12111); default api.stripe.com. */
  apiBase?: string;
};

const REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);
const ORDER_ID = /^[A-Za-z0-9_]{1,100}$/;

/**
 * Bank debits need the shopper's mandate on confirm. We recognise them by Stripe's test method
 * names; a production checkout offering ACH would pass the method type from the client.
 */
function isBankDebit(paymentMethod: string): boolean {
  return paymentMethod in TEST_PAYMENT_METHODS.bankDebits || paymentMethod.startsWith("pm_usBankAccount");
}

/** Host, port and protocol for the SDK from a base URL; a live key is never sent anywhere but Stripe. */
function apiHost(secretKey: string, apiBase: string | undefined) {
  if (!apiBase) return {};
  if (secretKey.startsWith("sk_live_") || secretKey.startsWith("rk_live_")) {
    throw new Error("STRIPE_API_BASE is for test keys only: a live key goes to api.stripe.com");
  }
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol } as const;
}

/** A Stripe client on the Workers fetch API; `fetch` is looked up per call so it can be intercepted. */
function stripeClient(secretKey: string, opts: StripeOptions = {}): Stripe {
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient((input, init) => fetch(input, init)),
    timeout: opts.timeoutMs ?? 10_000,
    maxNetworkRetries: opts.maxNetworkRetries ?? 1,
    ...apiHost(secretKey, opts.apiBase),
  });
}

/** Stripe PaymentIntents: create + confirm server-side, cancel, look up, refund. No card data passes through us. */
export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  private readonly stripe: Stripe;

  constructor(secretKey: string, opts: StripeOptions = {}) {
    this.stripe = stripeClient(secretKey, opts);
  }

  async confirm(input: ConfirmInput): Promise<ConfirmResult> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = await this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          payment_method: input.paymentMethod,
          confirm: true,
          // With a return URL Stripe may send the shopper to their bank (3-D Secure:
          // `redirect_to_url`); without one, redirect-based methods are refused up front.
          ...(input.returnUrl
            ? { return_url: input.returnUrl, automatic_payment_methods: { enabled: true } }
            : { automatic_payment_methods: { enabled: true, allow_redirects: "never" as const } }),
          // The checkout does not capture the shopper's IP and user agent that an `online`
          // acceptance needs; the mandate is recorded as accepted offline.
          ...(isBankDebit(input.paymentMethod)
            ? { mandate_data: { customer_acceptance: { type: "offline" as const } } }
            : {}),
          metadata: { paymentId: input.paymentId, orderId: input.orderId },
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (err) {
      return permanentFailure(err) ?? unavailable(err);
    }
    const result = confirmResult(pi);
    if (result.status === "requires_action" && !result.nextActionUrl) return this.abandonUnredirectable(pi.id);
    return result;
  }

  /**
   * 3-D Secure asked for an in-page step (`use_stripe_sdk`) this checkout cannot show: the intent
   * is cancelled so it cannot be completed later, and the payment fails with a reason.
   */
  private async abandonUnredirectable(providerRef: string): Promise<ConfirmResult> {
    await this.stripe.paymentIntents.cancel(providerRef, { cancellation_reason: "abandoned" }).catch(() => undefined);
    return {
      providerRef,
      status: "failed",
      failureMessage: "Your bank asked for an authentication step this checkout cannot do. Please use another card.",
      failureCode: "authentication_required",
      nextActionUrl: null,
    };
  }

  async cancel(providerRef: string): Promise<CancelResult> {
    try {
      const pi = await this.stripe.paymentIntents.cancel(providerRef);
      return { status: intentState(pi).status };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "payment_intent_unexpected_state") {
        // Too late to cancel (succeeded, processing, already cancelled): report where the intent is.
        const pi = err.payment_intent ?? (await this.stripe.paymentIntents.retrieve(providerRef).catch(unavailable));
        return { status: intentState(pi).status };
      }
      return unavailable(err);
    }
  }

  async retrieve(providerRef: string): Promise<IntentState> {
    const pi = await this.stripe.paymentIntents.retrieve(providerRef).catch(unavailable);
    return intentState(pi);
  }

  /**
   * Stripe's search is eventually consistent (an intent can take up to a minute to appear), so
   * `null` right after a lost create answer does not prove none exists: callers retry later.
   */
  async findByOrder(orderId: string): Promise<IntentState | null> {
    if (!ORDER_ID.test(orderId)) throw new TypeError(`findByOrder: not an order id: ${orderId}`);
    const found = await this.stripe.paymentIntents
      .search({ query: `metadata['orderId']:'${orderId}'`, limit: 10 })
      .catch(unavailable);
    // Several intents for one order (an amount changed between attempts): the one that took money wins.
    const rank = (pi: Stripe.PaymentIntent) =>
      ["succeeded", "processing", "requires_capture", "requires_action"].indexOf(pi.status) + 1 || 9;
    const best = [...found.data].sort((a, b) => rank(a) - rank(b) || b.created - a.created)[0];
    return best ? intentState(best) : null;
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
