import { consumeDeadLetterBatch } from "@shop/runtime/dead-letters";
import type { OrdersContext } from "../env";

/** `payment-events-dlq` (suffixed per environment): every name starts with this. */
export const PAYMENT_EVENTS_DLQ = "payment-events-dlq";

/**
 * Consumer of `payment-events-dlq`: a payment event that exhausted its retries is recorded for
 * an admin to replay (`GET /orders/dead-letters`), logged as an error, and acknowledged — never
 * parked unread. Until it is replayed the order waits; the payment itself is safe in `payments`.
 */
export function consumePaymentEventDeadLetters(batch: MessageBatch<unknown>, ctx: OrdersContext): Promise<void> {
  return consumeDeadLetterBatch(batch, ctx.env.DB, { worker: "orders", queue: "payment-events" });
}
