/**
 * Stripe's documented test PaymentMethods (https://docs.stripe.com/testing) and what Stripe does
 * with each on a server-side create+confirm. Pure data: the workerd fetch interceptor and the
 * payments tests import it too, and check it covers every method in `TEST_PAYMENT_METHODS`.
 *
 * outcome: `succeeds` (synchronously) · `declines` (402 card_error) · `authenticates` (3-D Secure
 * on every payment: `requires_action`) · `settles` / `settle_fails` (bank debit: `processing`,
 * then a webhook).
 */

/**
 * @typedef {{ type: "card" | "us_bank_account", brand?: string, last4: string,
 *   outcome: "succeeds" | "declines" | "authenticates" | "settles" | "settle_fails",
 *   code?: string, declineCode?: string, message?: string, param?: string }} TestMethod
 */

/** @type {Record<string, TestMethod>} */
export const TEST_METHODS = {
  pm_card_visa: { type: "card", brand: "visa", last4: "4242", outcome: "succeeds" },
  pm_card_mastercard: { type: "card", brand: "mastercard", last4: "4444", outcome: "succeeds" },
  pm_card_amex: { type: "card", brand: "amex", last4: "8431", outcome: "succeeds" },
  pm_card_chargeDeclined: {
    type: "card",
    brand: "visa",
    last4: "0002",
    outcome: "declines",
    code: "card_declined",
    declineCode: "generic_decline",
    message: "Your card was declined.",
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    type: "card",
    brand: "visa",
    last4: "9995",
    outcome: "declines",
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
  pm_card_chargeDeclinedExpiredCard: {
    type: "card",
    brand: "visa",
    last4: "0069",
    outcome: "declines",
    code: "expired_card",
    declineCode: "expired_card",
    message: "Your card has expired.",
    param: "exp_month",
  },
  pm_card_chargeDeclinedProcessingError: {
    type: "card",
    brand: "visa",
    last4: "0119",
    outcome: "declines",
    code: "processing_error",
    declineCode: "processing_error",
    message: "An error occurred while processing your card. Try again in a little bit.",
  },
  pm_card_authenticationRequired: { type: "card", brand: "visa", last4: "3184", outcome: "authenticates" },
  pm_usBankAccount_success: { type: "us_bank_account", last4: "6789", outcome: "settles" },
  pm_usBankAccount_insufficientFunds: {
    type: "us_bank_account",
    last4: "9995",
    outcome: "settle_fails",
    code: "insufficient_funds",
    message: "The customer's account has insufficient funds to cover this payment.",
  },
};

/**
 * Stripe's minimum charge per currency, in minor units (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
 * Others default to 50.
 * @type {Record<string, { min: number, label: string }>}
 */
export const CURRENCY_MINIMUMS = {
  usd: { min: 50, label: "$0.50" },
  eur: { min: 50, label: "€0.50" },
  gbp: { min: 30, label: "£0.30" },
  cad: { min: 50, label: "$0.50" },
  aud: { min: 50, label: "$0.50" },
  chf: { min: 50, label: "0.50 Fr" },
  jpy: { min: 50, label: "¥50" },
};

/** Payment-method types that are bank debits: Stripe needs a mandate to confirm them. */
export const MANDATE_TYPES = new Set(["us_bank_account"]);

/** Currencies each type can charge. */
export const TYPE_CURRENCIES = { us_bank_account: new Set(["usd"]) };
