import { forgetExpiredIdempotencyRecords, serviceContextFor } from "@shop/runtime";
import { app } from "./app";
import { database } from "./db/client";
import type { OrdersBindings, OrdersContext } from "./env";
import { consumePaymentEvents } from "./queues/payment-events";
import { consumePaymentEventDeadLetters, PAYMENT_EVENTS_DLQ } from "./queues/payment-events-dlq";
import { RECONCILIATION_CRON, reconcile } from "./services/reconciliation/reconcile";

export { CartDO } from "./durable-objects/cart";
export { OrderDO } from "./durable-objects/order";
export { OrderNumberDO } from "./durable-objects/order-number";

/** The service context of a queue batch or a cron run (an internal caller: no principal). */
function contextFor(env: OrdersBindings, ctx: ExecutionContext | undefined): OrdersContext {
  return serviceContextFor({ db: database(env.DB), env, defer: (work) => ctx?.waitUntil(work) });
}

// Workers require a default export: HTTP (the Hono app), the payment-events consumer and its
// dead-letter queue's (names carry an environment suffix, so match by prefix), the hourly cleanup.
export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<unknown>, env: OrdersBindings, ctx?: ExecutionContext) => {
    const service = contextFor(env, ctx);
    return batch.queue.startsWith(PAYMENT_EVENTS_DLQ)
      ? consumePaymentEventDeadLetters(batch, service)
      : consumePaymentEvents(batch, service);
  },
  // Two crons: reconciliation every 5 minutes, the idempotency-key cleanup hourly.
  scheduled: async (controller: ScheduledController, env: OrdersBindings, ctx?: ExecutionContext) => {
    const service = contextFor(env, ctx);
    if (controller.cron === RECONCILIATION_CRON) await reconcile(service);
    else await forgetExpiredIdempotencyRecords(env.DB);
  },
} satisfies ExportedHandler<OrdersBindings>;
