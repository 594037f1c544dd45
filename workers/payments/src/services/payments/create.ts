import { type CreatePaymentInput, CreatePaymentInputSchema, type PaymentSummary } from "@shop/contracts";
import { newId } from "@shop/runtime";
import type { OutboxRow } from "@shop/runtime/outbox";
import { eq } from "drizzle-orm";
import { atomically, rowsOf } from "../../db/batch";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { changedEventsSelect, publishRows } from "../events/publish";
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
  // Claim and read back in one round trip: the UNIQUE order_id picks the one payment.
  const [, found] = await db.batch([
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
  ]);
  const row = found[0];
  if (!row) throw new Error(`payment for ${input.orderId} vanished`);
  // Defence in depth: an order's payment belongs to the user it was created for; a call for the
  // same order naming another user is a bug (or worse) in the caller, never a replay.
  if (row.userId !== input.userId) throw new TypeError("payments.create: this order's payment belongs to another user");
  if (row.status !== "requires_payment" || row.providerRef) return toSummary(row);

  const result = await provider.confirm({
    paymentId: row.id,
    orderId: row.orderId,
    amount: row.amount,
    currency: row.currency,
    paymentMethod: input.paymentMethod,
    returnUrl: input.returnUrl ?? null,
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
  const results = await atomically(db, [
    ...statements,
    changedEventsSelect(db, [changeId]),
    db.select().from(payments).where(eq(payments.id, row.id)),
  ]);
  await publishRows(db, paymentEvents(ctx.env), (results.at(-2)?.results ?? []) as OutboxRow[]);
  const final = rowsOf(payments, results.at(-1))[0];
  return toSummary(final ?? row);
}
