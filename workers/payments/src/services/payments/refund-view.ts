import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { refunds } from "../../db/schema";
import { findPayment } from "./get";
import { toView } from "./summary";

/** The refund and its payment as the refund route returns them. */
export async function refundView(db: Db, refundId: string) {
  const refund = await db.select().from(refunds).where(eq(refunds.id, refundId)).get();
  const payment = refund ? await findPayment(db, refund.paymentId) : undefined;
  if (!refund || !payment) throw new Error(`refund ${refundId} vanished`);
  return {
    refund: {
      id: refund.id,
      paymentId: refund.paymentId,
      amount: refund.amount,
      reason: refund.reason,
      status: refund.status,
      createdAt: refund.createdAt,
    },
    payment: toView(payment),
  };
}
