import { createApp } from "@shop/runtime";
import { database } from "./db/client";
import type { OrdersEnv } from "./env";
import { registerAddCartItem } from "./routes/cart/add-item";
import { registerClearCart } from "./routes/cart/clear";
import { registerGetCart } from "./routes/cart/get";
import { registerRemoveCartItem } from "./routes/cart/remove-item";
import { registerUpdateCartItem } from "./routes/cart/update-item";
import { registerListDeadLetters } from "./routes/dead-letters/list";
import { registerReplayDeadLetter } from "./routes/dead-letters/replay";
import { registerCancelOrder } from "./routes/orders/cancel";
import { registerCreateOrder } from "./routes/orders/create";
import { registerDeliverOrder } from "./routes/orders/deliver";
import { registerGetOrder } from "./routes/orders/get";
import { registerListOrders } from "./routes/orders/list";
import { registerShipOrder } from "./routes/orders/ship";
import { registerGetReconciliation } from "./routes/reconciliation/get";
import { registerRunReconciliation } from "./routes/reconciliation/run";

export const app = createApp<OrdersEnv>("orders", {
  openapi: { title: "Shop orders", description: "Carts, orders, checkout and order history." },
  // Handlers hand `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to their service.
  serviceContext: (env) => database(env.DB),
});
export type OrdersApp = typeof app;

// Authentication, roles and rate limits are stated by each route (`middleware`, ADR 0021).
registerGetCart(app);
registerAddCartItem(app);
registerUpdateCartItem(app);
registerRemoveCartItem(app);
registerClearCart(app);
// Before `/orders/{id}`: the literal `/orders/dead-letters` must win.
registerListDeadLetters(app);
registerReplayDeadLetter(app);
// Before `/orders/{id}` too: the literal `/orders/reconciliation`.
registerRunReconciliation(app);
registerGetReconciliation(app);
registerCreateOrder(app);
registerListOrders(app);
registerGetOrder(app);
registerCancelOrder(app);
registerShipOrder(app);
registerDeliverOrder(app);
