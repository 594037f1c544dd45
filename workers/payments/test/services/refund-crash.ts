import { env } from "cloudflare:test";
import { newId, sha256Hex } from "@shop/runtime";
import { expect } from "vitest";
import { createInput, type harness, userId } from "../helpers";

type Harness = ReturnType<typeof harness>;

/** A payment that took the money (Stripe's card success; the queued webhook is delivered too). */
export async function paidPayment(h: Harness, amount = 5000): Promise<string> {
  const created = await h.rpc.create(createInput({ amount, userId: userId() }));
  await h.deliver();
  const row = await env.DB.prepare("SELECT status FROM payments WHERE id = ?").bind(created.paymentId).first();
  expect(row?.status).toBe("succeeded");
  return created.paymentId;
}

/**
 * What the live refund path has written when its worker dies between the reservation and the
 * gateway's answer: the refund row `pending` and its amount reserved on the payment, in one
 * batch as `refundPayment` writes them, `ageMs` ago.
 */
export async function crashedRefund(
  paymentId: string,
  opts: { amount: number; key: string; reason?: string; ageMs?: number },
): Promise<string> {
  const refundId = newId("refund");
  const at = new Date(Date.now() - (opts.ageMs ?? 120_000)).toISOString();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO refunds (id, payment_id, amount, reason, idempotency_key, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
    ).bind(refundId, paymentId, opts.amount, opts.reason ?? "requested_by_customer", opts.key, at, at),
    env.DB.prepare("UPDATE payments SET amount_refund_pending = amount_refund_pending + ? WHERE id = ?").bind(
      opts.amount,
      paymentId,
    ),
  ]);
  return refundId;
}

/** The `in_flight` claim the refund route had written for that request, `ageMs` ago. */
export async function crashedClaim(opts: {
  adminId: string;
  paymentId: string;
  key: string;
  amount: number | null;
  reason: string;
  ageMs: number;
}): Promise<void> {
  const fingerprint = await sha256Hex(
    JSON.stringify(["POST /payments/{id}/refund", opts.paymentId, opts.amount, opts.reason]),
  );
  await env.DB.prepare(
    "INSERT INTO idempotency_records (key, scope, fingerprint, state, created_at, claimed_at) VALUES (?1, ?2, ?3, 'in_flight', ?4, ?4)",
  )
    .bind(opts.key, `refund:${opts.adminId}`, fingerprint, Date.now() - opts.ageMs)
    .run();
}

/** The money columns of a payment and the status of each of its refunds. */
export async function money(paymentId: string) {
  const payment = await env.DB.prepare(
    "SELECT amount, amount_refunded, amount_refund_pending, status FROM payments WHERE id = ?",
  )
    .bind(paymentId)
    .first<{ amount: number; amount_refunded: number; amount_refund_pending: number; status: string }>();
  const { results } = await env.DB.prepare(
    "SELECT amount, status FROM refunds WHERE payment_id = ? ORDER BY created_at, id",
  )
    .bind(paymentId)
    .all<{ amount: number; status: string }>();
  if (!payment) throw new Error(`no payment ${paymentId}`);
  // Whatever happened, money out (done + reserved) never exceeds money in.
  expect(payment.amount_refunded + payment.amount_refund_pending).toBeLessThanOrEqual(payment.amount);
  return { ...payment, refunds: results };
}
