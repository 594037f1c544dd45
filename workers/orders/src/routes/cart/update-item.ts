import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { Cart, ProductId, UpdateCartItemBody, VariantId } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { limitCartWrites, optionalUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { updateCartItem } from "../../services/carts/update-cart-item";
import { json, optionalBearer } from "../responses";
import { cartRequestOf, cartResponse } from "./cart-request";

/**
 * A cart line is one variant (ADR 0029): the path names it by its variant id, or by a product id,
 * which means that product's default variant (as clients from before variants send).
 */
export const CartItemParams = z.object({
  productId: z.union([VariantId, ProductId]).meta({
    description:
      "The line's variant id (`var_…`), or a product id (`prd_…`) meaning that product's default variant " +
      "(the line of a product without options).",
  }),
});

export const updateCartItemRoute = createRoute({
  method: "patch",
  path: "/cart/items/{productId}",
  tags: ["cart"],
  summary: "Set a line's quantity (1..99)",
  security: optionalBearer,
  middleware: [optionalUser, limitCartWrites] as const,
  request: {
    params: CartItemParams,
    body: { required: true, content: { "application/json": { schema: UpdateCartItemBody } } },
  },
  responses: { 200: json(Cart, "The cart after the change"), ...problemResponses(400, 401, 404, 409, 415, 429, 503) },
});

export const updateCartItemHandler: RouteHandler<typeof updateCartItemRoute, OrdersEnv> = async (c) => {
  const { productId: lineId } = c.req.valid("param");
  const { quantity } = c.req.valid("json");
  return cartResponse(c, await updateCartItem(c.var.ctx, { ...cartRequestOf(c), item: { lineId, quantity } }));
};
