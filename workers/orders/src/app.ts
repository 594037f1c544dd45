import { createApp, registerRoutes } from "@shop/runtime";
import { database } from "./db/client";
import type { OrdersEnv } from "./env";
import { addCartItemHandler, addCartItemRoute } from "./routes/cart/add-item";
import { clearCartHandler, clearCartRoute } from "./routes/cart/clear";
import { getCartHandler, getCartRoute } from "./routes/cart/get";
import { removeCartItemHandler, removeCartItemRoute } from "./routes/cart/remove-item";
import { updateCartItemHandler, updateCartItemRoute } from "./routes/cart/update-item";
import { quoteCheckoutHandler, quoteCheckoutRoute } from "./routes/checkout/quote";
import { listDeadLettersHandler, listDeadLettersRoute } from "./routes/dead-letters/list";
import { replayDeadLetterHandler, replayDeadLetterRoute } from "./routes/dead-letters/replay";
import { cancelOrderHandler, cancelOrderRoute } from "./routes/orders/cancel";
import { createOrderHandler, createOrderRoute } from "./routes/orders/create";
import { deliverOrderHandler, deliverOrderRoute } from "./routes/orders/deliver";
import { getOrderHandler, getOrderRoute } from "./routes/orders/get";
import { listOrdersHandler, listOrdersRoute } from "./routes/orders/list";
import { shipOrderHandler, shipOrderRoute } from "./routes/orders/ship";
import {
  createPromotionHandler,
  createPromotionRoute,
  getPromotionHandler,
  getPromotionRoute,
  listPromotionsHandler,
  listPromotionsRoute,
  updatePromotionHandler,
  updatePromotionRoute,
} from "./routes/promotions/admin";
import { getReconciliationHandler, getReconciliationRoute } from "./routes/reconciliation/get";
import { runReconciliationHandler, runReconciliationRoute } from "./routes/reconciliation/run";
import {
  approveReturnHandler,
  approveReturnRoute,
  listOrderReturnsHandler,
  listOrderReturnsRoute,
  listReturnsHandler,
  listReturnsRoute,
  receiveReturnHandler,
  receiveReturnRoute,
  rejectReturnHandler,
  rejectReturnRoute,
  requestReturnHandler,
  requestReturnRoute,
} from "./routes/returns/routes";
import {
  deleteShippingMethodHandler,
  deleteShippingMethodRoute,
  deleteShippingZoneHandler,
  deleteShippingZoneRoute,
  listShippingHandler,
  listShippingRoute,
  putShippingMethodHandler,
  putShippingMethodRoute,
  putShippingZoneHandler,
  putShippingZoneRoute,
} from "./routes/shipping/admin";

export const app = createApp<OrdersEnv>("orders", {
  openapi: { title: "Shop orders", description: "Carts, orders, checkout and order history." },
  // Handlers hand `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to their service.
  serviceContext: (env) => database(env.DB),
});

// Authentication, roles and rate limits are stated by each route (`middleware`, ADR 0021).
registerRoutes(app, [
  [getCartRoute, getCartHandler],
  [addCartItemRoute, addCartItemHandler],
  [updateCartItemRoute, updateCartItemHandler],
  [removeCartItemRoute, removeCartItemHandler],
  [clearCartRoute, clearCartHandler],
  // Before `/orders/{id}`: the literal `/orders/dead-letters` must win.
  [listDeadLettersRoute, listDeadLettersHandler],
  [replayDeadLetterRoute, replayDeadLetterHandler],
  // Before `/orders/{id}` too: the literal `/orders/reconciliation`.
  [runReconciliationRoute, runReconciliationHandler],
  [getReconciliationRoute, getReconciliationHandler],
  [createOrderRoute, createOrderHandler],
  [listOrdersRoute, listOrdersHandler],
  [getOrderRoute, getOrderHandler],
  [cancelOrderRoute, cancelOrderHandler],
  [shipOrderRoute, shipOrderHandler],
  [deliverOrderRoute, deliverOrderHandler],
  [requestReturnRoute, requestReturnHandler],
  [listOrderReturnsRoute, listOrderReturnsHandler],
  [listReturnsRoute, listReturnsHandler],
  [approveReturnRoute, approveReturnHandler],
  [rejectReturnRoute, rejectReturnHandler],
  [receiveReturnRoute, receiveReturnHandler],
  // Promotions, shipping and the checkout quote (ADR 0033).
  [listPromotionsRoute, listPromotionsHandler],
  [createPromotionRoute, createPromotionHandler],
  [getPromotionRoute, getPromotionHandler],
  [updatePromotionRoute, updatePromotionHandler],
  [listShippingRoute, listShippingHandler],
  [putShippingZoneRoute, putShippingZoneHandler],
  [deleteShippingZoneRoute, deleteShippingZoneHandler],
  [putShippingMethodRoute, putShippingMethodHandler],
  [deleteShippingMethodRoute, deleteShippingMethodHandler],
  [quoteCheckoutRoute, quoteCheckoutHandler],
]);
