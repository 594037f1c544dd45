import type { Currency, NextAction, Payment, PaymentStatus, PaymentSummary } from "@shop/contracts";
import type { payments } from "../../db/schema";

export type PaymentRow = typeof payments.$inferSelect;

export function toSummary(row: PaymentRow): PaymentSummary {
  return {
    paymentId: row.id,
    orderId: row.orderId,
    status: row.status as PaymentStatus,
    amount: row.amount,
    currency: row.currency,
    amountRefunded: row.amountRefunded,
    failureMessage: row.failureMessage,
    failureCode: row.failureCode,
    nextAction: nextAction(row),
    receivedAfterClose: row.receivedAfterClose === 1,
  };
}

function nextAction(row: PaymentRow): NextAction | null {
  return row.status === "requires_action" && row.nextActionUrl
    ? { type: "redirect_to_url", url: row.nextActionUrl }
    : null;
}

/** The public (HTTP) view of a payment. */
export function toView(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.orderId,
    userId: row.userId,
    status: row.status as PaymentStatus,
    amount: row.amount,
    currency: row.currency as Currency,
    amountRefunded: row.amountRefunded,
    provider: row.provider,
    failureMessage: row.failureMessage,
    failureCode: row.failureCode,
    nextAction: nextAction(row),
    receivedAfterClose: row.receivedAfterClose === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
