import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Order, ShipOrderBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { shipOrder } from "../../services/orders/change-order";
import { json } from "../responses";
import { OrderParams } from "./params";

export const shipOrderRoute = createRoute({
  method: "post",
  path: "/orders/{id}/ship",
  tags: ["orders"],
  summary: "Admin: mark a paid order shipped with carrier and tracking number",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: {
    params: OrderParams,
    body: { required: true, content: { "application/json": { schema: ShipOrderBody } } },
  },
  responses: { 200: json(Order, "The shipped order"), ...problemResponses(400, 401, 403, 404, 409, 415) },
});

export const shipOrderHandler: RouteHandler<typeof shipOrderRoute, OrdersEnv> = async (c) => {
  const order = await shipOrder(c.var.ctx, { id: c.req.valid("param").id, shipment: c.req.valid("json") });
  return c.json(order, 200);
};
