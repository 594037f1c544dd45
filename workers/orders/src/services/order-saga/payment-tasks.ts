import type { Currency } from "@shop/contracts";
import type { SagaContext } from "./context";
import { paymentOutcome, refundReason } from "./payment-outcome";

/** Refund key: one refund per order, however often the task or its caller retries. */
const refundKey = (orderId: string) => `order-refund:${orderId}`;

/**
 * The payment deadline passed without a decisive payment result. `payments.cancel` answers
 * with the final status: if the money was taken after all, the order proceeds to commit
 * (the reservation outlives the deadline); otherwise the order expires and stock goes back.
 */
export async function expireTask(ctx: SagaContext): Promise<void> {
  const { store } = ctx;
  const row = store.row();
  if (row.status !== "awaiting_payment" || row.payment_status === "succeeded")
    return store.apply({ doneTasks: ["expire"] });
  const payment = row.payment_id ? await ctx.env.PAYMENTS.cancel(row.payment_id, ctx.meta()) : null;
  if (payment?.status === "succeeded") {
    const follow = paymentOutcome(row, payment);
    return store.apply({ ...follow, doneTasks: ["expire"] });
  }
  if (payment?.status === "processing" || payment?.status === "requires_payment") {
    throw new Error(`payment ${payment.paymentId} is still ${payment.status} after cancel`);
  }
  store.apply({
    patch: {
      status: "expired",
      payment_status: payment?.status ?? row.payment_status,
      reason: "The payment did not complete in time.",
    },
    event: { type: "order.expired", detail: { paymentStatus: payment?.status ?? null } },
    // Expired means the provider confirmed nothing was taken (cancelled, failed, or never created).
    notify: { type: "order.expired", data: { orderId: row.id, payment: "none" } },
    addTasks: ["release", "release_promotions"],
    doneTasks: ["expire"],
  });
}

/**
 * The order closed before it was paid (the shopper cancelled, or placing ran out of time):
 * stop the payment; if it had already succeeded, refund it. An order that never learned its
 * payment id (the answer to `create` was lost) asks payments for the order's payment.
 */
export async function cancelPaymentTask(ctx: SagaContext): Promise<void> {
  const { store } = ctx;
  const row = store.row();
  const paymentId = row.payment_id ?? (await ctx.env.PAYMENTS.forOrder(row.id, ctx.meta()))?.paymentId ?? null;
  if (!paymentId) return store.apply({ doneTasks: ["cancel_payment"] });
  const payment = await ctx.env.PAYMENTS.cancel(paymentId, ctx.meta());
  if (payment?.status === "processing" || payment?.status === "requires_payment") {
    throw new Error(`payment ${payment.paymentId} is still ${payment.status} after cancel`);
  }
  const succeeded = payment?.status === "succeeded" && !row.refund_requested;
  store.apply({
    patch: {
      payment_id: paymentId,
      payment_status: payment?.status ?? row.payment_status,
      ...(succeeded ? { refund_requested: 1 } : {}),
    },
    event: { type: "payment.cancel_requested", detail: { paymentStatus: payment?.status ?? null } },
    addTasks: succeeded ? ["refund"] : [],
    doneTasks: ["cancel_payment"],
  });
}

/**
 * Gives the money back, with a deterministic idempotency key. A cancelled order becomes
 * `refunded`; an order that closed for another reason (expired, failed) keeps its status
 * and records the refund in its timeline.
 */
export async function refundTask(ctx: SagaContext): Promise<void> {
  const { store } = ctx;
  const row = store.row();
  if (!row.payment_id) return store.apply({ doneTasks: ["refund"] });
  const result = await ctx.env.PAYMENTS.refund(
    { paymentId: row.payment_id, reason: row.reason ?? "Order cancelled", idempotencyKey: refundKey(row.id) },
    ctx.meta(),
  );
  let amount: number;
  if (result.ok) {
    amount = result.payment.amountRefunded;
  } else {
    const payment = await ctx.env.PAYMENTS.get(row.payment_id, ctx.meta());
    if (payment?.status === "succeeded") throw new Error(`refund refused: ${result.code} ${result.message}`);
    if (payment?.status !== "refunded" && payment?.status !== "partially_refunded") {
      return store.apply({
        event: { type: "refund.not_needed", detail: { paymentStatus: payment?.status ?? null } },
        doneTasks: ["refund"],
      });
    }
    amount = payment.amountRefunded;
  }
  store.apply({
    patch: {
      amount_refunded: Math.max(amount, row.amount_refunded),
      payment_status: "refunded",
      ...(row.status === "cancelled" ? { status: "refunded" as const } : {}),
    },
    event: { type: "payment.refunded", detail: { amount } },
    notify: {
      type: "order.refunded",
      data: { orderId: row.id, amount, currency: row.currency as Currency, reason: refundReason(row.status) },
    },
    doneTasks: ["refund"],
  });
}
