import { env } from "cloudflare:test";
import { newId } from "@shop/runtime";
import Stripe from "stripe";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** A payment as `create` leaves it with Stripe configured: awaiting Stripe's outcome. */
export async function stripePayment(opts: { status?: string; userId?: string; amount?: number } = {}) {
  const id = newId("payment");
  const ref = `pi_${crypto.randomUUID().replaceAll("-", "")}`;
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO payments (id, order_id, user_id, amount, currency, provider, provider_ref, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'USD', 'stripe', ?, ?, ?, ?)`,
  )
    .bind(
      id,
      newId("order"),
      opts.userId ?? newId("user"),
      opts.amount ?? 3000,
      ref,
      opts.status ?? "requires_payment",
      now,
      now,
    )
    .run();
  return { id, ref };
}

/** A Stripe event body around `object`, as Stripe posts it to the webhook. */
function stripeEvent(type: string, object: Record<string, unknown>, id?: string) {
  return JSON.stringify({
    id: id ?? `evt_${crypto.randomUUID().replaceAll("-", "")}`,
    object: "event",
    type,
    api_version: "2025-01-27.acacia",
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
}

/** A Stripe event body for a PaymentIntent of ours. */
export function intentEvent(
  type: string,
  payment: { id: string; ref: string },
  extra: { id?: string; status?: string; message?: string } = {},
) {
  return stripeEvent(
    type,
    {
      id: payment.ref,
      object: "payment_intent",
      status: extra.status ?? "succeeded",
      metadata: { paymentId: payment.id },
      last_payment_error: extra.message ? { message: extra.message } : null,
    },
    extra.id,
  );
}

/** A Stripe `refund.*` event body: a refund of one of our PaymentIntents. */
export function refundEvent(
  type: "refund.created" | "refund.updated",
  payment: { id: string; ref: string },
  refund: { id: string; amount: number; status: string; ourRefundId?: string },
) {
  return stripeEvent(type, {
    id: refund.id,
    object: "refund",
    amount: refund.amount,
    currency: "usd",
    status: refund.status,
    payment_intent: payment.ref,
    // Refunds made in the dashboard carry no metadata of ours.
    metadata: refund.ourRefundId ? { paymentId: payment.id, refundId: refund.ourRefundId } : {},
  });
}

/** A `Stripe-Signature` header as Stripe sends it; several secrets → several `v1` entries. */
export async function signature(payload: string, secrets: string[], ageSeconds = 0): Promise<string> {
  const timestamp = Math.floor(Date.now() / 1000) - ageSeconds;
  const headers = await Promise.all(
    secrets.map((secret) =>
      Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider }),
    ),
  );
  const v1 = headers.map((h) => h.split(",").find((p) => p.startsWith("v1=")));
  return [`t=${timestamp}`, ...v1].join(",");
}
