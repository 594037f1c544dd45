/**
 * Stripe's PaymentIntent state machine for the test methods in ./methods.mjs:
 *
 *   create (confirm=true) ─ card success ───────────────→ succeeded
 *                         ├ card decline (402) ─────────→ requires_payment_method + last_payment_error
 *                         ├ 3-D Secure ─────────────────→ requires_action ─ approve → succeeded
 *                         │                                                └ fail ───→ requires_payment_method
 *                         └ bank debit (mandate) ───────→ processing ─ settle → succeeded | requires_payment_method
 *   cancel: requires_payment_method | requires_confirmation | requires_action | requires_capture → canceled
 *
 * Each change emits the event Stripe sends (`payment_intent.created|succeeded|payment_failed|
 * requires_action|processing|canceled`).
 */

import { checkCreateParams } from "./create-params.mjs";
import { cardError, invalidRequest, noSuch, stateError } from "./errors.mjs";

/**
 * @typedef {Record<string, any>} PaymentIntent
 * @typedef {{ method: import("./methods.mjs").TestMethod | null, methodId: string | null, refunded: number,
 *   timer: ReturnType<typeof setTimeout> | null, createdMs: number, returnUrl: string | null }} IntentInternals
 * @typedef {{ intents: Map<string, PaymentIntent>, internals: Map<string, IntentInternals>,
 *   emit: (type: string, object: Record<string, unknown>) => void, id: (prefix: string) => string,
 *   now: () => number, baseUrl: string, settleMs: () => number }} Ctx
 */

const CANCELLABLE = ["requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"];
const REASONS = ["duplicate", "fraudulent", "requested_by_customer", "abandoned"];

/** A deep copy, as an event or a response carries the object at that moment. @param {unknown} o */
export const snapshot = (o) => JSON.parse(JSON.stringify(o));

/** @param {Ctx} ctx @param {string} id */
export function intentOr404(ctx, id, param = "intent") {
  const pi = ctx.intents.get(id);
  if (!pi) throw noSuch("payment_intent", id, param);
  return pi;
}

/** The PaymentMethod object as Stripe embeds it in errors. @param {string} id @param {import("./methods.mjs").TestMethod} m */
function paymentMethodObject(id, m) {
  const details =
    m.type === "card"
      ? { card: { brand: m.brand, last4: m.last4, exp_month: 12, exp_year: 2034, country: "US", funding: "credit" } }
      : { us_bank_account: { bank_name: "STRIPE TEST BANK", last4: m.last4, account_type: "checking" } };
  return { id, object: "payment_method", type: m.type, livemode: false, ...details };
}

/** @param {Ctx} ctx @param {PaymentIntent} pi @param {Record<string, any>} err */
function failPayment(ctx, pi, err) {
  pi.status = "requires_payment_method";
  pi.next_action = null;
  pi.last_payment_error = err;
  ctx.emit("payment_intent.payment_failed", pi);
}

/** @param {Ctx} ctx @param {PaymentIntent} pi */
function succeed(ctx, pi) {
  pi.status = "succeeded";
  pi.next_action = null;
  pi.amount_received = pi.amount;
  pi.latest_charge = pi.latest_charge ?? ctx.id("ch");
  ctx.emit("payment_intent.succeeded", pi);
}

/**
 * POST /v1/payment_intents. Returns the intent, or throws the 402/400 Stripe answers.
 * @param {Ctx} ctx @param {Record<string, any>} p parsed form
 */
export function createIntent(ctx, p) {
  const { currency, method, methodId, confirm, types, automatic, allowRedirects } = checkCreateParams(p);

  const id = ctx.id("pi");
  /** @type {PaymentIntent} */
  const pi = {
    id,
    object: "payment_intent",
    amount: Number(p.amount),
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: automatic ? { allow_redirects: allowRedirects, enabled: true } : null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${id}_secret_${ctx.id("").slice(1)}`,
    confirmation_method: "automatic",
    created: Math.floor(ctx.now() / 1000),
    currency,
    customer: p.customer ?? null,
    description: p.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: p.metadata && typeof p.metadata === "object" ? { ...p.metadata } : {},
    next_action: null,
    on_behalf_of: null,
    payment_method: methodId,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: types ?? (method ? [method.type] : ["card"]),
    processing: null,
    receipt_email: p.receipt_email ?? null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: method ? "requires_confirmation" : "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  };
  ctx.intents.set(id, pi);
  ctx.internals.set(id, {
    method: method ?? null,
    methodId,
    refunded: 0,
    timer: null,
    createdMs: ctx.now(),
    returnUrl: p.return_url ? String(p.return_url) : null,
  });
  ctx.emit("payment_intent.created", pi);
  if (!confirm || !method || !methodId) return pi;
  return confirmIntent(ctx, pi, method, methodId, p.return_url ? String(p.return_url) : null);
}

/**
 * @param {Ctx} ctx @param {PaymentIntent} pi @param {import("./methods.mjs").TestMethod} m
 * @param {string} methodId @param {string | null} returnUrl
 */
function confirmIntent(ctx, pi, m, methodId, returnUrl) {
  switch (m.outcome) {
    case "succeeds":
      succeed(ctx, pi);
      return pi;
    case "declines": {
      const charge = ctx.id("ch");
      pi.latest_charge = charge;
      const detail = {
        code: m.code ?? "card_declined",
        declineCode: m.declineCode,
        message: m.message ?? "",
        param: m.param,
      };
      const pm = paymentMethodObject(methodId, m);
      failPayment(ctx, pi, {
        charge,
        code: detail.code,
        decline_code: detail.declineCode,
        doc_url: `https://stripe.com/docs/error-codes/${detail.code.replaceAll("_", "-")}`,
        message: detail.message,
        payment_method: pm,
        type: "card_error",
      });
      throw cardError(detail, { charge, payment_intent: snapshot(pi), payment_method: pm });
    }
    case "authenticates": {
      pi.status = "requires_action";
      const url = `${ctx.baseUrl}/3ds/${pi.id}`;
      pi.next_action = returnUrl
        ? { type: "redirect_to_url", redirect_to_url: { return_url: returnUrl, url } }
        : {
            type: "use_stripe_sdk",
            use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url, source: ctx.id("src") },
          };
      ctx.emit("payment_intent.requires_action", pi);
      return pi;
    }
    case "settles":
    case "settle_fails": {
      pi.status = "processing";
      ctx.emit("payment_intent.processing", pi);
      const internals = ctx.internals.get(pi.id);
      if (internals) internals.timer = setTimeout(() => settleIntent(ctx, pi.id), ctx.settleMs());
      return pi;
    }
  }
}

/**
 * The bank's answer to a debit (or a forced one): `processing` → succeeded | requires_payment_method.
 * @param {Ctx} ctx @param {string} id @param {"succeeded" | "failed"} [result] default: the method's own
 */
export function settleIntent(ctx, id, result) {
  const pi = intentOr404(ctx, id);
  const internals = ctx.internals.get(id);
  if (internals?.timer) clearTimeout(internals.timer);
  if (internals) internals.timer = null;
  if (pi.status !== "processing") return pi;
  const m = internals?.method;
  const fails = result ? result === "failed" : m?.outcome === "settle_fails";
  if (!fails) {
    succeed(ctx, pi);
    return pi;
  }
  failPayment(ctx, pi, {
    code: m?.code ?? "insufficient_funds",
    message: m?.message ?? "The customer's account has insufficient funds to cover this payment.",
    payment_method: internals?.methodId && m ? paymentMethodObject(internals.methodId, m) : null,
    type: "card_error",
  });
  return pi;
}

/**
 * The shopper's answer on the 3-D Secure page.
 * @param {Ctx} ctx @param {string} id @param {"approve" | "fail"} result
 */
export function authenticateIntent(ctx, id, result) {
  const pi = intentOr404(ctx, id);
  if (pi.status !== "requires_action") return pi;
  if (result === "approve") {
    succeed(ctx, pi);
    return pi;
  }
  failPayment(ctx, pi, {
    code: "payment_intent_authentication_failure",
    doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    type: "invalid_request_error",
  });
  return pi;
}

/** POST /v1/payment_intents/:id/cancel. @param {Ctx} ctx @param {string} id @param {Record<string, any>} p */
export function cancelIntent(ctx, id, p) {
  const pi = intentOr404(ctx, id);
  if (p.cancellation_reason !== undefined && !REASONS.includes(String(p.cancellation_reason))) {
    throw invalidRequest(`Invalid cancellation_reason: must be one of ${REASONS.join(", ")}`, {
      code: "parameter_invalid",
      param: "cancellation_reason",
    });
  }
  if (!CANCELLABLE.includes(pi.status)) {
    throw stateError(
      "payment_intent_unexpected_state",
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELLABLE.join(", ")}.`,
      { payment_intent: snapshot(pi) },
    );
  }
  const internals = ctx.internals.get(id);
  if (internals?.timer) clearTimeout(internals.timer);
  pi.status = "canceled";
  pi.next_action = null;
  pi.canceled_at = Math.floor(ctx.now() / 1000);
  pi.cancellation_reason = p.cancellation_reason ?? null;
  ctx.emit("payment_intent.canceled", pi);
  return pi;
}

const FORCE_EVENTS = /** @type {Record<string, string>} */ ({
  succeeded: "payment_intent.succeeded",
  requires_payment_method: "payment_intent.payment_failed",
  canceled: "payment_intent.canceled",
  processing: "payment_intent.processing",
  requires_action: "payment_intent.requires_action",
});

/**
 * Test control: Stripe reports `status` from now on, whatever came before (e.g. "the money arrived
 * anyway" after a cancel), with the matching event unless `silent`.
 * @param {Ctx} ctx @param {string} id @param {string} status @param {{ silent?: boolean }} [opts]
 */
export function forceIntent(ctx, id, status, opts = {}) {
  const pi = intentOr404(ctx, id);
  const type = FORCE_EVENTS[status];
  if (!type) throw invalidRequest(`force: unsupported status ${status}`, { param: "status" });
  const internals = ctx.internals.get(id);
  if (internals?.timer) clearTimeout(internals.timer);
  pi.status = status;
  pi.next_action = status === "requires_action" ? pi.next_action : null;
  if (status === "succeeded") {
    pi.amount_received = pi.amount;
    pi.latest_charge = pi.latest_charge ?? ctx.id("ch");
    pi.canceled_at = null;
    pi.cancellation_reason = null;
  }
  if (status === "canceled") pi.canceled_at = Math.floor(ctx.now() / 1000);
  if (status === "requires_payment_method") {
    pi.last_payment_error = {
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
      type: "card_error",
    };
  }
  if (!opts.silent) ctx.emit(type, pi);
  return pi;
}
