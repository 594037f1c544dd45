import { app } from "./app";
import type { OrdersBindings } from "./env";
import { consumePaymentEvents } from "./queues/payment-events";
import { forgetOldIdempotencyKeys } from "./services/orders/claim-idempotency-key";

export { CartDO } from "./durable-objects/cart";
export { OrderDO } from "./durable-objects/order";

// Workers require a default export: HTTP (the Hono app), the payment-events consumer and the hourly cleanup.
export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<unknown>, env: OrdersBindings, _ctx?: ExecutionContext) =>
    consumePaymentEvents(batch, env),
  scheduled: async (_controller: ScheduledController, env: OrdersBindings) => forgetOldIdempotencyKeys(env.DB),
} satisfies ExportedHandler<OrdersBindings>;
