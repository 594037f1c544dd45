import { type CallMeta, PaymentEventData, type PaymentSummary } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import type { PaymentEventOutcome } from "../order-saga/types";
import { orderStub } from "../orders/order-stub";

/**
 * The event id of a payment fact that reconciliation delivers. A function of the fact itself,
 * so however many runs deliver the same fact (overlapping windows, the cron racing an admin),
 * the order's DO takes it once; a new fact (refunded, another amount) is a new id.
 */
function reconcileEventId(payment: Pick<PaymentSummary, "paymentId" | "status" | "amountRefunded">): string {
  return `reconcile:${payment.paymentId}:${payment.status}:${payment.amountRefunded}`;
}

/**
 * Hands what payments knows about a payment to its order's DO through `applyPaymentEvent`, the
 * path a `payment-events` message takes, so the saga (commit → paid, or refund) decides exactly
 * as it would have had the event arrived. Null when the fact does not parse as an event (never
 * delivered half-formed).
 */
export async function deliverPaymentFact(
  env: Pick<OrdersBindings, "ORDER">,
  payment: PaymentSummary,
  userId: string,
  meta: CallMeta,
): Promise<PaymentEventOutcome | null> {
  const data = PaymentEventData.safeParse({
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    userId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    amountRefunded: payment.amountRefunded,
    failureMessage: payment.failureMessage,
    failureCode: payment.failureCode ?? null,
    nextAction: payment.nextAction ?? null,
    receivedAfterClose: payment.receivedAfterClose ?? false,
  });
  if (!data.success) return null;
  return orderStub(env, payment.orderId).applyPaymentEvent(reconcileEventId(payment), data.data, meta);
}
