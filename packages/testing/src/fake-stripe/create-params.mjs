/**
 * The checks Stripe makes on POST /v1/payment_intents before anything is created: refused
 * parameters are 400s that keep nothing under the idempotency key.
 */
import { invalidRequest, noSuch } from "./errors.mjs";
import { formBool } from "./form.mjs";
import { CURRENCY_MINIMUMS, MANDATE_TYPES, TEST_METHODS, TYPE_CURRENCIES } from "./methods.mjs";

const REDIRECTS_MESSAGE =
  "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

/** @param {Record<string, any>} p @param {string} currency */
function validateAmount(p, currency) {
  if (p.amount === undefined)
    throw invalidRequest("Missing required param: amount.", { code: "parameter_missing", param: "amount" });
  if (!/^\d+$/.test(String(p.amount)))
    throw invalidRequest(`Invalid integer: ${p.amount}`, { code: "parameter_invalid_integer", param: "amount" });
  const min = CURRENCY_MINIMUMS[currency] ?? { min: 50, label: "0.50" };
  if (Number(p.amount) < min.min)
    throw invalidRequest(`Amount must be at least ${min.label} ${currency}`, {
      code: "amount_too_small",
      param: "amount",
    });
}

/** Stripe refuses a bank debit without the customer's mandate acceptance. @param {Record<string, any>} p */
function validateMandate(p) {
  const acceptance = p.mandate_data?.customer_acceptance;
  const missing = () =>
    invalidRequest(
      "The PaymentIntent requires a mandate, but no existing mandate was found. Collect mandate acceptance from the customer and try again, providing acceptance data in the mandate_data parameter.",
      { param: "mandate_data" },
    );
  if (!acceptance?.type) throw missing();
  if (acceptance.type === "online" && (!acceptance.online?.ip_address || !acceptance.online?.user_agent)) {
    throw invalidRequest("Missing required param: mandate_data[customer_acceptance][online][ip_address].", {
      code: "parameter_missing",
      param: "mandate_data[customer_acceptance][online][ip_address]",
    });
  }
  if (acceptance.type !== "online" && acceptance.type !== "offline") {
    throw invalidRequest(`Invalid mandate_data[customer_acceptance][type]: must be one of online or offline`, {
      code: "parameter_invalid",
      param: "mandate_data[customer_acceptance][type]",
    });
  }
}

/**
 * @param {Record<string, any>} p parsed form
 * @returns {{ currency: string, method: import("./methods.mjs").TestMethod | null, methodId: string | null,
 *   confirm: boolean, types: string[] | null, automatic: boolean, allowRedirects: "never" | "always" }}
 */
export function checkCreateParams(p) {
  if (!p.currency)
    throw invalidRequest("Missing required param: currency.", { code: "parameter_missing", param: "currency" });
  const currency = String(p.currency).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency))
    throw invalidRequest(`Invalid currency: ${currency}.`, { code: "parameter_invalid", param: "currency" });
  validateAmount(p, currency);
  const methodId = p.payment_method ? String(p.payment_method) : null;
  const method = methodId ? TEST_METHODS[methodId] : null;
  if (methodId && !method) throw noSuch("PaymentMethod", methodId, "payment_method", 400);
  const confirm = formBool(p.confirm);
  const types = Array.isArray(p.payment_method_types) ? p.payment_method_types.map(String) : null;
  const automatic = types === null || formBool(p.automatic_payment_methods?.enabled);
  const allowRedirects = p.automatic_payment_methods?.allow_redirects === "never" ? "never" : "always";
  if (method && types && !types.includes(method.type)) {
    throw invalidRequest(
      `The PaymentMethod provided (${method.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${types.join(", ")}.`,
      { param: "payment_method" },
    );
  }
  if (method && TYPE_CURRENCIES[/** @type {"us_bank_account"} */ (method.type)]?.has(currency) === false) {
    throw invalidRequest(
      `The currency provided (${currency}) is invalid for one or more payment method types on this PaymentIntent.`,
      { code: "payment_intent_invalid_parameter", param: "currency" },
    );
  }
  if (confirm) {
    if (!method)
      throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", {
        code: "parameter_missing",
        param: "payment_method",
      });
    if (automatic && allowRedirects !== "never" && !p.return_url) throw invalidRequest(REDIRECTS_MESSAGE);
    if (MANDATE_TYPES.has(method.type)) validateMandate(p);
  }
  if (p.return_url && !confirm)
    throw invalidRequest("return_url can only be specified when confirm=true.", { param: "return_url" });
  if (p.return_url && !/^https?:\/\//.test(String(p.return_url)))
    throw invalidRequest("Not a valid URL", { code: "url_invalid", param: "return_url" });
  return { currency, method: method ?? null, methodId, confirm, types, automatic, allowRedirects };
}
