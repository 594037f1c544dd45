import { createRoute } from "@hono/zod-openapi";
import { Order } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { OrdersApp } from "../../app";
import { requireAdmin, requireUser } from "../../auth";
import { deliverOrder } from "../../services/orders/change-order";
import { json } from "../responses";
import { OrderParams } from "./params";

const deliverOrderRoute = createRoute({
  method: "post",
  path: "/orders/{id}/deliver",
  tags: ["orders"],
  summary: "Admin: mark a shipped order delivered",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: OrderParams },
  responses: { 200: json(Order, "The delivered order"), ...problemResponses(400, 401, 403, 404, 409) },
});

export function registerDeliverOrder(app: OrdersApp) {
  app.openapi(deliverOrderRoute, async (c) => {
    const order = await deliverOrder(c.var.ctx, { id: c.req.valid("param").id });
    return c.json(order, 200);
  });
}
