import { createRoute } from "@hono/zod-openapi";
import { AddCartItemBody, Cart } from "@shop/contracts";
import { callMeta, problemResponses } from "@shop/runtime";
import type { OrdersApp } from "../../app";
import { limitCartWrites, optionalUser } from "../../auth";
import { addCartItem } from "../../services/carts/add-cart-item";
import { json, optionalBearer } from "../responses";
import { cartResponse, openRequestCart } from "./cart-request";

const addCartItemRoute = createRoute({
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

export function registerAddCartItem(app: OrdersApp) {
  app.openapi(addCartItemRoute, async (c) => {
    const opened = await openRequestCart(c);
    return cartResponse(c, await addCartItem(c.env, opened, c.req.valid("json"), callMeta(c)));
  });
}
