import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Order } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { deliverOrder } from "../../services/orders/change-order";
import { json } from "../responses";
import { OrderParams } from "./params";

export const deliverOrderRoute = createRoute({
  method: "post",
  path: "/orders/{id}/deliver",
  tags: ["orders"],
  summary: "Admin: mark a shipped order delivered",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: OrderParams },
  responses: { 200: json(Order, "The delivered order"), ...problemResponses(400, 401, 403, 404, 409) },
});

export const deliverOrderHandler: RouteHandler<typeof deliverOrderRoute, OrdersEnv> = async (c) => {
  const order = await deliverOrder(c.var.ctx, { id: c.req.valid("param").id });
  return c.json(order, 200);
};
