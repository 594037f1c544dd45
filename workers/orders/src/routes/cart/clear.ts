import { createRoute } from "@hono/zod-openapi";
import { Cart } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { OrdersApp } from "../../app";
import { limitCartWrites, optionalUser } from "../../auth";
import { clearCart } from "../../services/carts/clear-cart";
import { json, optionalBearer } from "../responses";
import { cartResponse, cartTokenOf } from "./cart-request";

const clearCartRoute = createRoute({
  method: "delete",
  path: "/cart",
  tags: ["cart"],
  summary: "Empty the cart",
  security: optionalBearer,
  middleware: [optionalUser, limitCartWrites] as const,

  responses: { 200: json(Cart, "The empty cart"), ...problemResponses(400, 401, 429, 503) },
});

export function registerClearCart(app: OrdersApp) {
  app.openapi(clearCartRoute, async (c) => cartResponse(c, await clearCart(c.var.ctx, { cartToken: cartTokenOf(c) })));
}
