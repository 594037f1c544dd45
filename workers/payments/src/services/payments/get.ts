import type { Payment, PaymentSummary } from "@shop/contracts";
import { callerOf, NotFound } from "@shop/runtime";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { type PaymentRow, toSummary, toView } from "./summary";

export async function findPayment(db: Db, paymentId: string): Promise<PaymentRow | undefined> {
  return db.select().from(payments).where(eq(payments.id, paymentId)).get();
}

/** `PaymentsRpc.get`: a payment by id, or null. */
export async function getSummary(ctx: PaymentsContext, input: { paymentId: string }): Promise<PaymentSummary | null> {
  const row = await findPayment(ctx.db, input.paymentId);
  return row ? toSummary(row) : null;
}

/** The payment of an order (at most one: `create` is idempotent by order id). */
export async function getSummaryForOrder(
  ctx: PaymentsContext,
  input: { orderId: string },
): Promise<PaymentSummary | null> {
  const row = await ctx.db.select().from(payments).where(eq(payments.orderId, input.orderId)).get();
  return row ? toSummary(row) : null;
}

/** One payment for its caller: a customer sees only their own; anyone else's is "not found". */
export async function getVisiblePayment(ctx: PaymentsContext, input: { id: string }): Promise<Payment> {
  const caller = callerOf(ctx);
  const where =
    caller.role === "admin"
      ? eq(payments.id, input.id)
      : and(eq(payments.id, input.id), eq(payments.userId, caller.userId));
  const row = await ctx.db.select().from(payments).where(where).get();
  if (!row) throw new NotFound("The payment");
  return toView(row);
}
