import { newId } from "@shop/runtime";
import { sql } from "drizzle-orm";
import type { Statement } from "../../db/batch";
import { paymentEventInsert } from "../events/publish";

/** A refund as the gateway reports it. */
export type ProviderRefund = {
  /** The gateway's refund id (Stripe `re_…`). */
  providerRef: string;
  amount: number;
  succeeded: boolean;
  /** Our own refund id when we asked for it (`metadata.refundId`); null when made at the gateway. */
  ourRefundId: string | null;
};

const PROVIDER_REFUND_REASON = "Refunded at the payment provider";

/**
 * A refund made at the gateway (e.g. from the Stripe dashboard) becomes a refund row of ours
 * and moves the payment's refunded amount and status, in one batch, once per gateway refund id
 * (the refunds' unique (payment, key) index with key `provider:<id>`). The payment change goes
 * out on `payment-events` like any other, so a fully refunded paid order becomes `refunded`.
 * Our own refunds settle through the refund flow; their events change nothing here.
 */
export function providerRefundStatements(
  paymentId: string,
  refund: ProviderRefund,
  traceparent?: string,
  now = new Date().toISOString(),
): { changeId: string | null; statements: Statement[] } {
  if (refund.ourRefundId || !refund.succeeded || !(refund.amount > 0)) return { changeId: null, statements: [] };
  const refundId = newId("refund");
  const changeId = newId("event");
  const key = `provider:${refund.providerRef}`;
  return {
    changeId,
    statements: [
      sql`
        INSERT INTO refunds (id, payment_id, amount, reason, idempotency_key, provider_ref, status, created_at, updated_at)
        SELECT ${refundId}, id, ${refund.amount}, ${PROVIDER_REFUND_REASON}, ${key}, ${refund.providerRef}, 'succeeded', ${now}, ${now}
        FROM payments
        WHERE id = ${paymentId} AND status IN ('succeeded', 'partially_refunded')
          AND amount_refunded + ${refund.amount} <= amount
          AND NOT EXISTS (SELECT 1 FROM refunds WHERE payment_id = ${paymentId} AND idempotency_key = ${key})`,
      sql`
        UPDATE payments SET
          amount_refunded = amount_refunded + ${refund.amount},
          status = CASE WHEN amount_refunded + ${refund.amount} >= amount THEN 'refunded' ELSE 'partially_refunded' END,
          last_change_id = ${changeId}, version = version + 1, updated_at = ${now}
        WHERE id = ${paymentId} AND EXISTS (SELECT 1 FROM refunds WHERE id = ${refundId})`,
      paymentEventInsert(paymentId, changeId, now, traceparent),
    ],
  };
}
