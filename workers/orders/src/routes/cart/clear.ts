import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Cart } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { limitCartWrites, optionalUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { clearCart } from "../../services/carts/clear-cart";
import { json, optionalBearer } from "../responses";
import { cartRequestOf, cartResponse } from "./cart-request";

export const clearCartRoute = createRoute({
  method: "delete",
  path: "/cart",
  tags: ["cart"],
  summary: "Empty the cart",
  security: optionalBearer,
  middleware: [optionalUser, limitCartWrites] as const,

  responses: { 200: json(Cart, "The empty cart"), ...problemResponses(400, 401, 429, 503) },
});

export const clearCartHandler: RouteHandler<typeof clearCartRoute, OrdersEnv> = async (c) =>
  cartResponse(c, await clearCart(c.var.ctx, { ...cartRequestOf(c) }));
