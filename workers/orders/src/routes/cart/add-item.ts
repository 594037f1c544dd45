import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AddCartItemBody, Cart } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { limitCartWrites, optionalUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { addCartItem } from "../../services/carts/add-cart-item";
import { json, optionalBearer } from "../responses";
import { cartRequestOf, cartResponse } from "./cart-request";

export const addCartItemRoute = createRoute({
  method: "post",
  path: "/cart/items",
  tags: ["cart"],
  summary: "Add units of a product (quantities sum; the price always comes from the catalog)",
  security: optionalBearer,
  middleware: [optionalUser, limitCartWrites] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: AddCartItemBody } } },
  },
  responses: {
    200: json(Cart, "The cart after the change"),
    ...problemResponses(400, 401, 404, 409, 415, 422, 429, 503),
  },
});

export const addCartItemHandler: RouteHandler<typeof addCartItemRoute, OrdersEnv> = async (c) => {
  return cartResponse(c, await addCartItem(c.var.ctx, { ...cartRequestOf(c), item: c.req.valid("json") }));
};
