import { newId } from "@shop/runtime";
import { sql } from "drizzle-orm";
import { atomically } from "../../db/batch";
import type { Db } from "../../db/client";
import type { refunds } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { paymentEventInsert, publishChanges } from "../events/publish";
import { paymentEvents, paymentProvider } from "./gateway";
import { findPayment } from "./get";

export type RefundRow = typeof refunds.$inferSelect;

export type SettleOutcome = { ok: true } | { ok: false; message: string };

/**
 * Finishes a reserved (`pending`) refund: asks the gateway, then settles. The live refund path
 * and the cron that resumes refunds left pending by a crash both come here, so they cannot
 * disagree. Safe to run any number of times, concurrently too:
 * - the gateway call is keyed by our refund id (Stripe `refund-<refundId>`), so asking again
 *   returns the refund already made instead of refunding twice;
 * - each settle is one batch conditional on the refund still being `pending`, so only the first
 *   settle moves money and writes the payment event; the others change nothing.
 * A gateway that cannot be reached throws (`ProviderUnavailableError`) and leaves the refund
 * pending, its reservation still counted against what is left of the payment.
 */
export async function settlePendingRefund(ctx: PaymentsContext, refund: RefundRow): Promise<SettleOutcome> {
  const payment = await findPayment(ctx.db, refund.paymentId);
  if (!payment?.providerRef) throw new Error(`payment ${refund.paymentId} has no provider reference`);
  const outcome = await paymentProvider(ctx).refund({
    paymentId: payment.id,
    refundId: refund.id,
    providerRef: payment.providerRef,
    amount: refund.amount,
    reason: refund.reason,
  });
  if (!outcome.ok) {
    await settleFailed(ctx.db, refund);
    return { ok: false, message: outcome.message };
  }
  const changeId = await settleSucceeded(ctx, refund, outcome.providerRef);
  await publishChanges(ctx.db, paymentEvents(ctx.env), [changeId]);
  return { ok: true };
}

/** Moves the reservation into amount_refunded, sets the payment's status and writes its event. */
async function settleSucceeded(ctx: PaymentsContext, refund: RefundRow, providerRef: string): Promise<string> {
  const now = new Date().toISOString();
  const changeId = newId("event");
  await atomically(ctx.db, [
    sql`
      UPDATE payments SET
        amount_refunded = amount_refunded + ${refund.amount},
        amount_refund_pending = amount_refund_pending - ${refund.amount},
        status = CASE WHEN amount_refunded + ${refund.amount} >= amount THEN 'refunded' ELSE 'partially_refunded' END,
        last_change_id = ${changeId}, version = version + 1, updated_at = ${now}
      WHERE id = ${refund.paymentId} AND status IN ('succeeded', 'partially_refunded')
        AND EXISTS (SELECT 1 FROM refunds WHERE id = ${refund.id} AND status = 'pending')`,
    paymentEventInsert(refund.paymentId, changeId, now, ctx.meta.traceparent),
    sql`
      UPDATE refunds SET status = 'succeeded', provider_ref = ${providerRef}, updated_at = ${now}
      WHERE id = ${refund.id} AND status = 'pending'`,
  ]);
  return changeId;
}

/** The gateway refused: the reservation is given back, so the money counts as refundable again. */
async function settleFailed(db: Db, refund: RefundRow): Promise<void> {
  const now = new Date().toISOString();
  await atomically(db, [
    sql`
      UPDATE payments SET amount_refund_pending = amount_refund_pending - ${refund.amount}, updated_at = ${now}
      WHERE id = ${refund.paymentId}
        AND EXISTS (SELECT 1 FROM refunds WHERE id = ${refund.id} AND status = 'pending')`,
    sql`UPDATE refunds SET status = 'failed', updated_at = ${now} WHERE id = ${refund.id} AND status = 'pending'`,
  ]);
}
