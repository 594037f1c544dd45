import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Cart } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { limitCartWrites, optionalUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { removeCartItem } from "../../services/carts/remove-cart-item";
import { json, optionalBearer } from "../responses";
import { cartRequestOf, cartResponse } from "./cart-request";
import { CartItemParams } from "./update-item";

export const removeCartItemRoute = createRoute({
  method: "delete",
  path: "/cart/items/{productId}",
  tags: ["cart"],
  summary: "Remove a line",
  security: optionalBearer,
  middleware: [optionalUser, limitCartWrites] as const,
  request: { params: CartItemParams },
  responses: { 200: json(Cart, "The cart after the change"), ...problemResponses(400, 401, 404, 429, 503) },
});

export const removeCartItemHandler: RouteHandler<typeof removeCartItemRoute, OrdersEnv> = async (c) => {
  const { productId: lineId } = c.req.valid("param");
  return cartResponse(c, await removeCartItem(c.var.ctx, { ...cartRequestOf(c), lineId }));
};
