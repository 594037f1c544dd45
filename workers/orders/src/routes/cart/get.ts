import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { Cart } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { optionalUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { viewCart } from "../../services/carts/view-cart";
import { json, optionalBearer } from "../responses";
import { cartRequestOf, cartResponse } from "./cart-request";

const CartHeaders = z.object({
  "x-cart-id": z
    .string()
    .optional()
    .meta({ description: "A guest cart token (crt_….…) returned earlier in x-cart-id or cartToken" }),
});

export const getCartRoute = createRoute({
  method: "get",
  path: "/cart",
  tags: ["cart"],
  summary:
    "The cart at current prices (guest: by its x-cart-id token; signed in: the user's, merging a guest cart once)",
  security: optionalBearer,
  middleware: [optionalUser] as const,
  request: { headers: CartHeaders },
  responses: { 200: json(Cart, "The cart"), ...problemResponses(400, 401, 503) },
});

export const getCartHandler: RouteHandler<typeof getCartRoute, OrdersEnv> = async (c) => {
  return cartResponse(c, await viewCart(c.var.ctx, { ...cartRequestOf(c) }));
};
