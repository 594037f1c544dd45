import { type CreatePaymentInput, CreatePaymentInputSchema, type PaymentSummary } from "@shop/contracts";
import { newId } from "@shop/runtime";
import type { OutboxRow } from "@shop/runtime/outbox";
import { and, eq, isNull, sql } from "drizzle-orm";
import { rowsOf } from "../../db/batch";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { batchForgettingSent, changedEventsSelect, publishRows } from "../events/publish";
import { paymentEvents, paymentProvider } from "./gateway";
import { toSummary } from "./summary";
import { transitionStatements } from "./transition";

/** The gateway idempotency key: one per order and amount, so a retry never charges twice. */
function providerIdempotencyKey(orderId: string, amount: number, currency: string): string {
  return `payment-${orderId}-${amount}-${currency}`;
}

/**
 * Creates and confirms the order's payment; the answer carries the gateway's verdict when it
 * has one (Stripe answers a card payment synchronously).
 * Idempotent by orderId: the UNIQUE order_id decides which caller owns the payment; every
 * other call gets that payment back. A payment whose gateway call never completed
 * (requires_payment, no provider reference) is confirmed again with the same gateway key.
 *
 * Two round trips (ADR 0023): the claim, and the status change with its event. A gateway kept
 * in this D1 (the simulator) creates its intent inside the claim's batch; the event's outbox
 * row is deleted by a later batch (`publishRows`).
 */
export async function createPayment(ctx: PaymentsContext, raw: CreatePaymentInput): Promise<PaymentSummary> {
  const { db } = ctx;
  const provider = paymentProvider(ctx);
  // RPC arguments come from our own callers, but a malformed one must not become a payment.
  const parsed = CreatePaymentInputSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "input").join(", ");
    throw new TypeError(`payments.create: invalid ${fields}`);
  }
  const input = parsed.data;
  const now = new Date().toISOString();
  const confirmInput = {
    orderId: input.orderId,
    amount: input.amount,
    currency: input.currency,
    paymentMethod: input.paymentMethod,
    returnUrl: input.returnUrl ?? null,
    idempotencyKey: providerIdempotencyKey(input.orderId, input.amount, input.currency),
  };
  // Inside the claim's batch, the payment to confirm: the claimed row while it still waits for
  // the gateway, is this user's and is for this amount (else NULL, and the gateway writes nothing).
  const toConfirm = sql`(SELECT ${payments.id} FROM ${payments} WHERE ${and(
    eq(payments.orderId, input.orderId),
    eq(payments.userId, input.userId),
    eq(payments.amount, input.amount),
    eq(payments.currency, input.currency),
    eq(payments.status, "requires_payment"),
    isNull(payments.providerRef),
  )})`;
  const batched = provider.confirmInBatch?.({ ...confirmInput, paymentId: toConfirm });
  // Claim and read back in one round trip: the UNIQUE order_id picks the one payment.
  const claimed = await batchForgettingSent(db, [
    db
      .insert(payments)
      .values({
        id: newId("payment"),
        orderId: input.orderId,
        userId: input.userId,
        amount: input.amount,
        currency: input.currency,
        provider: provider.name,
        status: "requires_payment",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: payments.orderId }),
    db.select().from(payments).where(eq(payments.orderId, input.orderId)),
    ...(batched?.statements ?? []),
  ]);
  const row = rowsOf(payments, claimed[1])[0];
  if (!row) throw new Error(`payment for ${input.orderId} vanished`);
  // Defence in depth: an order's payment belongs to the user it was created for; a call for the
  // same order naming another user is a bug (or worse) in the caller, never a replay.
  if (row.userId !== input.userId) throw new TypeError("payments.create: this order's payment belongs to another user");
  if (row.status !== "requires_payment" || row.providerRef) return toSummary(row);

  // The batch confirmed when the claimed row matched the call; a retry naming another amount
  // confirms the stored payment (its own amount and key) the usual way.
  const result =
    batched && row.amount === input.amount && row.currency === input.currency
      ? await batched.answer(claimed.slice(2))
      : await provider.confirm({
          ...confirmInput,
          paymentId: row.id,
          amount: row.amount,
          currency: row.currency,
          idempotencyKey: providerIdempotencyKey(row.orderId, row.amount, row.currency),
        });
  // Whatever the gateway answered is recorded as it said it: `succeeded` at once for a card,
  // `requires_action` with the shopper's URL, `processing` for a debit, `failed` (a decline or
  // a permanent error such as an unknown payment method) with its code.
  const { changeId, statements } = transitionStatements(db, {
    paymentId: row.id,
    to: result.status,
    providerRef: result.providerRef,
    failureMessage: result.failureMessage,
    failureCode: result.failureCode,
    nextActionUrl: result.nextActionUrl,
    traceparent: ctx.meta.traceparent,
  });
  // The change, its event and both read back, in one round trip; then the event goes out.
  const results = await batchForgettingSent(db, [
    ...statements,
    changedEventsSelect(db, [changeId]),
    db.select().from(payments).where(eq(payments.id, row.id)),
  ]);
  await publishRows(db, paymentEvents(ctx.env), (results.at(-2)?.results ?? []) as OutboxRow[]);
  const final = rowsOf(payments, results.at(-1))[0];
  return toSummary(final ?? row);
}
