import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { CancelOrderBody, Order } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { cancelOrder } from "../../services/orders/change-order";
import { json } from "../responses";
import { OrderParams } from "./params";

export const cancelOrderRoute = createRoute({
  method: "post",
  path: "/orders/{id}/cancel",
  tags: ["orders"],
  summary: "Cancel before shipping (refunds a paid order, releases reserved stock)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: {
    params: OrderParams,
    body: { required: false, content: { "application/json": { schema: CancelOrderBody } } },
  },
  responses: { 200: json(Order, "The cancelled order"), ...problemResponses(400, 401, 404, 409, 415) },
});

export const cancelOrderHandler: RouteHandler<typeof cancelOrderRoute, OrdersEnv> = async (c) => {
  const body = c.req.valid("json") as CancelOrderBody | undefined;
  const order = await cancelOrder(c.var.ctx, { id: c.req.valid("param").id, reason: body?.reason });
  return c.json(order, 200);
};
