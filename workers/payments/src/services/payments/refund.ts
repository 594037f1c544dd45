import type { RefundResult } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { and, eq, sql } from "drizzle-orm";
import { atomically } from "../../db/batch";
import type { Db } from "../../db/client";
import { refunds } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { findPayment } from "./get";
import { type RefundRow, settlePendingRefund } from "./settle-refund";
import { REFUNDABLE_STATUSES } from "./status";
import { toSummary } from "./summary";

export type RefundInput = { paymentId: string; amount?: number; reason: string; idempotencyKey: string };

/**
 * Refunds part or all of a payment, idempotent per (payment, idempotency key).
 * 1. Reserve: the refund row is inserted only if what is left (amount − refunded − pending)
 *    covers it, and the reservation is added in the same batch; the CHECK on payments backs it.
 * 2–3. Ask the gateway and settle (`settlePendingRefund`, shared with the cron that resumes
 *    refunds a crash left pending): keyed by the refund id, conditional on still pending.
 */
export async function refundPayment(ctx: PaymentsContext, input: RefundInput, retried = false): Promise<RefundResult> {
  const { db } = ctx;
  if (input.amount !== undefined && (!Number.isInteger(input.amount) || input.amount < 1)) {
    throw new TypeError("refund amount must be a positive integer in minor units");
  }
  const payment = await findPayment(db, input.paymentId);
  if (!payment) return { ok: false, code: "not_found", message: "The payment was not found." };

  const existing = await findByKey(db, input.paymentId, input.idempotencyKey);
  if (existing) return resume(ctx, existing, true);

  if (!REFUNDABLE_STATUSES.includes(payment.status)) {
    return { ok: false, code: "not_refundable", message: `A ${payment.status} payment cannot be refunded.` };
  }
  const left = payment.amount - payment.amountRefunded - payment.amountRefundPending;
  const amount = input.amount ?? left;
  if (amount < 1) return { ok: false, code: "not_refundable", message: "Nothing is left to refund." };
  if (amount > left) {
    return {
      ok: false,
      code: "amount_too_large",
      message: `At most ${left} ${payment.currency} minor units can still be refunded.`,
    };
  }

  const refundId = newId("refund");
  const now = new Date().toISOString();
  try {
    await atomically(db, [
      sql`
        INSERT INTO refunds (id, payment_id, amount, reason, idempotency_key, status, created_at, updated_at)
        SELECT ${refundId}, id, ${amount}, ${input.reason}, ${input.idempotencyKey}, 'pending', ${now}, ${now}
        FROM payments
        WHERE id = ${input.paymentId} AND status IN ('succeeded', 'partially_refunded')
          AND amount_refunded + amount_refund_pending + ${amount} <= amount`,
      sql`
        UPDATE payments SET amount_refund_pending = amount_refund_pending + ${amount}, updated_at = ${now}
        WHERE id = ${input.paymentId} AND EXISTS (SELECT 1 FROM refunds WHERE id = ${refundId})`,
    ]);
  } catch (err) {
    // The same key raced us: the other call's refund is the one.
    if (!retried && /UNIQUE constraint failed: refunds/i.test(String(err))) return refundPayment(ctx, input, true);
    throw err;
  }
  const reserved = await db.select().from(refunds).where(eq(refunds.id, refundId)).get();
  // Something moved between our read and the reservation (another refund, a status change): decide again.
  if (!reserved) {
    if (retried) throw new Error(`refund of ${input.paymentId} could not be reserved`);
    return refundPayment(ctx, input, true);
  }
  return resume(ctx, reserved, false);
}

async function findByKey(db: Db, paymentId: string, key: string): Promise<RefundRow | undefined> {
  return db
    .select()
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, key)))
    .get();
}

async function resume(ctx: PaymentsContext, refund: RefundRow, replayed: boolean): Promise<RefundResult> {
  const { db } = ctx;
  if (refund.status === "failed") {
    return { ok: false, code: "not_refundable", message: "The payment provider refused this refund." };
  }
  if (refund.status === "pending") {
    const settled = await settlePendingRefund(ctx, refund);
    if (!settled.ok) return { ok: false, code: "not_refundable", message: settled.message };
  }
  const payment = await findPayment(db, refund.paymentId);
  if (!payment) throw new Error(`payment ${refund.paymentId} vanished`);
  return { ok: true, refundId: refund.id, payment: toSummary(payment), replayed };
}
