import type { Currency, NextAction, PaymentStatus } from "@shop/contracts";
import { CLOSED_WITHOUT_SALE } from "./context";
import type { Change, OrderRow } from "./types";

export type PaymentFact = {
  paymentId: string;
  status: PaymentStatus;
  amountRefunded: number;
  failureMessage: string | null;
  failureCode?: string | null | undefined;
  nextAction?: NextAction | null | undefined;
};

/** Why a refund goes out, in the customer's terms (the refund email says it). */
export function refundReason(status: OrderRow["status"]): "cancelled" | "late_payment" | "after_failure" | "admin" {
  if (status === "cancelled") return "cancelled";
  if (status === "payment_failed") return "after_failure";
  if (status === "expired" || status === "rejected") return "late_payment";
  return "admin";
}

/**
 * What a payment status means for the order, whether it came from `payments.create`, a
 * `payments.cancel` answer or a `payment-events` message (any number of times, in any order).
 * Only a fact that moves the order forward changes anything; everything else is stale:
 * - succeeded while awaiting payment → commit the stock (then `paid`), whether create answered
 *   it synchronously (a card) or an event brought it (3-D Secure, a bank debit);
 * - requires_action while awaiting payment → wait for the shopper, keeping the URL to show;
 * - succeeded after the order closed without a sale → refund automatically;
 * - failed / cancelled while awaiting payment → `payment_failed`, release the stock;
 * - refunded in full while `paid` (refund issued in payments) → `refunded`.
 */
export function paymentOutcome(row: OrderRow, fact: PaymentFact): Change | null {
  if (row.payment_id && fact.paymentId !== row.payment_id) return null;
  // While the order is still being placed, placing itself learns the payment's state from
  // `payments.create` (idempotent, so a retry after a lost answer reports the truth) and applies
  // it here; remembering a fact earlier would make that answer look stale.
  if (row.status === "pending") return null;
  const awaiting = row.status === "awaiting_payment" && row.payment_status !== "succeeded";
  switch (fact.status) {
    case "succeeded":
      if (awaiting) {
        return {
          patch: { payment_id: fact.paymentId, payment_status: "succeeded" },
          event: { type: "payment.succeeded", detail: { paymentId: fact.paymentId } },
          addTasks: ["commit"],
          doneTasks: ["expire"],
        };
      }
      if (CLOSED_WITHOUT_SALE.has(row.status) && !row.refund_requested) {
        return {
          patch: { payment_id: fact.paymentId, payment_status: "succeeded", refund_requested: 1 },
          event: { type: "payment.succeeded_late", detail: { paymentId: fact.paymentId, refund: "automatic" } },
          addTasks: ["refund"],
        };
      }
      return null;
    case "failed":
    case "cancelled":
      if (!awaiting) return null;
      return {
        patch: {
          status: "payment_failed",
          payment_status: fact.status,
          failure_message: fact.failureMessage,
          reason: fact.failureMessage ?? "The payment did not go through.",
        },
        event: { type: "payment.failed", detail: { paymentId: fact.paymentId, message: fact.failureMessage } },
        notify: {
          type: "payment.failed",
          data: { orderId: row.id, reason: fact.failureMessage, failureCode: fact.failureCode ?? null },
        },
        addTasks: ["release", "release_promotions"],
        doneTasks: ["expire"],
      };
    case "refunded":
    case "partially_refunded": {
      if (fact.amountRefunded <= row.amount_refunded) return null;
      const change: Change = { patch: { amount_refunded: fact.amountRefunded, payment_status: fact.status } };
      if (row.status === "paid" && fact.status === "refunded") {
        change.patch = { ...change.patch, status: "refunded", reason: "The payment was refunded." };
        change.event = { type: "payment.refunded", detail: { amount: fact.amountRefunded } };
        // Refunded in full: the order no longer holds its promotion uses (ADR 0035).
        change.addTasks = ["release_promotions"];
        change.notify = {
          type: "order.refunded",
          data: {
            orderId: row.id,
            amount: fact.amountRefunded,
            currency: row.currency as Currency,
            reason: "admin",
          },
        };
      }
      return change;
    }
    case "requires_action": {
      const url = fact.nextAction?.url ?? null;
      if (!awaiting || (row.payment_status === "requires_action" && row.next_action_url === url)) return null;
      return {
        patch: { payment_id: fact.paymentId, payment_status: "requires_action", next_action_url: url },
        event: { type: "payment.requires_action", detail: { paymentId: fact.paymentId } },
      };
    }
    default:
      // requires_payment / processing: news only while nothing decisive is known yet.
      return awaiting && row.payment_status !== fact.status
        ? { patch: { payment_id: fact.paymentId, payment_status: fact.status } }
        : null;
  }
}
