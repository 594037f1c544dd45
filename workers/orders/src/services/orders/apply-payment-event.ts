import type { PaymentEvent } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { orderStub } from "./order-stub";

/**
 * Hands a payment event to its order's DO, which de-duplicates by event id and ignores stale
 * facts. The one path for a payment event, whether the live consumer or a dead-letter replay
 * delivers it, so a replay can never do what a delivery would not.
 */
export function applyPaymentEvent(ctx: Pick<OrdersContext, "env">, event: PaymentEvent) {
  return orderStub(ctx.env, event.data.orderId).applyPaymentEvent(event.id, event.data, {
    requestId: event.id,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
  });
}
