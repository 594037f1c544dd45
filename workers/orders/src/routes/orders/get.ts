import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Order } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { getOrder } from "../../services/orders/get-order";
import { json } from "../responses";
import { OrderParams } from "./params";

export const getOrderRoute = createRoute({
  method: "get",
  path: "/orders/{id}",
  tags: ["orders"],
  summary: "One order with lines, price snapshot, totals, status, timeline and tracking (owner or admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { params: OrderParams },
  responses: { 200: json(Order, "The order"), ...problemResponses(400, 401, 404) },
});

export const getOrderHandler: RouteHandler<typeof getOrderRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await getOrder(c.var.ctx, { id: c.req.valid("param").id }), 200);
};
