/**
 * Refunds (POST /v1/refunds, GET /v1/refunds/:id): only of a succeeded PaymentIntent, never more
 * than is left. A card refund is `succeeded` at once in test mode; a bank-debit refund is `pending`
 * and settles after the settle delay (`refund.updated`). Each emits `refund.created`.
 */
import { invalidRequest, noSuch, stateError } from "./errors.mjs";
import { snapshot } from "./intents.mjs";

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"];

/** @param {number} amount @param {string} currency */
const money = (amount, currency) =>
  `${currency === "usd" ? "$" : ""}${(amount / 100).toFixed(2)}${currency === "usd" ? "" : ` ${currency}`}`;

/**
 * @param {import("./intents.mjs").Ctx & { refunds: Map<string, Record<string, any>> }} ctx
 * @param {Record<string, any>} p
 */
export function createRefund(ctx, p) {
  const piId = p.payment_intent ? String(p.payment_intent) : null;
  if (!piId && !p.charge) {
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", {
      code: "parameter_missing",
    });
  }
  const pi = piId
    ? (() => {
        const found = ctx.intents.get(piId);
        if (!found) throw noSuch("payment_intent", piId, "payment_intent", 400);
        return found;
      })()
    : [...ctx.intents.values()].find((i) => i.latest_charge === p.charge);
  if (!pi) throw noSuch("charge", String(p.charge), "charge", 400);
  if (p.reason !== undefined && !REASONS.includes(String(p.reason))) {
    throw invalidRequest(`Invalid reason: must be one of ${REASONS.join(", ")}`, {
      code: "parameter_invalid",
      param: "reason",
    });
  }
  if (p.amount !== undefined && !/^\d+$/.test(String(p.amount))) {
    throw invalidRequest(`Invalid integer: ${p.amount}`, { code: "parameter_invalid_integer", param: "amount" });
  }
  if (pi.status !== "succeeded") {
    throw stateError(
      "payment_intent_unexpected_state",
      `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
      { payment_intent: snapshot(pi) },
    );
  }
  const internals = ctx.internals.get(pi.id);
  const refunded = internals?.refunded ?? 0;
  const left = pi.amount_received - refunded;
  if (left <= 0) throw stateError("charge_already_refunded", `Charge ${pi.latest_charge} has already been refunded.`);
  const amount = p.amount === undefined ? left : Number(p.amount);
  if (amount < 1)
    throw invalidRequest("Invalid positive integer", { code: "parameter_invalid_integer", param: "amount" });
  if (amount > left) {
    throw stateError(
      "amount_too_large",
      `Refund amount (${money(amount, pi.currency)}) is greater than unrefunded amount on charge (${money(left, pi.currency)})`,
      { param: "amount" },
    );
  }
  if (internals) internals.refunded += amount;
  const bank = internals?.method?.type === "us_bank_account";
  /** @type {Record<string, any>} */
  const refund = {
    id: ctx.id("re"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: pi.latest_charge,
    created: Math.floor(ctx.now() / 1000),
    currency: pi.currency,
    destination_details: bank
      ? { type: "us_bank_transfer", us_bank_transfer: {} }
      : { type: "card", card: { type: "refund" } },
    metadata: p.metadata && typeof p.metadata === "object" ? { ...p.metadata } : {},
    payment_intent: pi.id,
    payment_method: internals?.methodId ?? null,
    reason: p.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: bank ? "pending" : "succeeded",
    transfer_reversal: null,
  };
  ctx.refunds.set(refund.id, refund);
  ctx.emit("refund.created", refund);
  if (bank) {
    setTimeout(() => {
      if (refund.status !== "pending") return;
      refund.status = "succeeded";
      ctx.emit("refund.updated", refund);
    }, ctx.settleMs());
  }
  return refund;
}

/** @param {{ refunds: Map<string, Record<string, any>> }} ctx @param {string} id */
export function getRefund(ctx, id) {
  const refund = ctx.refunds.get(id);
  if (!refund) throw noSuch("refund", id, "id");
  return refund;
}
