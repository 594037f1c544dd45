import type { PaymentSummary } from "@shop/contracts";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { payments } from "../../db/schema";
import { type PaymentRow, toSummary } from "./summary";

export async function findPayment(db: Db, paymentId: string): Promise<PaymentRow | undefined> {
  return db.select().from(payments).where(eq(payments.id, paymentId)).get();
}

export async function getSummary(db: Db, paymentId: string): Promise<PaymentSummary | null> {
  const row = await findPayment(db, paymentId);
  return row ? toSummary(row) : null;
}

/** The payment of an order (at most one: `create` is idempotent by order id). */
export async function getSummaryForOrder(db: Db, orderId: string): Promise<PaymentSummary | null> {
  const row = await db.select().from(payments).where(eq(payments.orderId, orderId)).get();
  return row ? toSummary(row) : null;
}

/** A customer sees only their own payments; anyone else's is "not found". */
export async function findVisiblePayment(
  db: Db,
  paymentId: string,
  viewer: { userId: string; admin: boolean },
): Promise<PaymentRow | undefined> {
  const where = viewer.admin
    ? eq(payments.id, paymentId)
    : and(eq(payments.id, paymentId), eq(payments.userId, viewer.userId));
  return db.select().from(payments).where(where).get();
}
