import { createRoute, z } from "@hono/zod-openapi";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, OrderPage, OrderStatus } from "@shop/contracts";
import { principalOf, problemResponses } from "@shop/runtime";
import type { OrdersApp } from "../../app";
import { listOrders } from "../../services/orders/list-orders";
import { json } from "../responses";

export const ListOrdersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    cursor: z.string().max(600).optional(),
    status: OrderStatus.optional(),
  })
  .strict();

export const listOrdersRoute = createRoute({
  method: "get",
  path: "/orders",
  tags: ["orders"],
  summary: "Order history, newest first, cursor pages (customers: their own; admins: everyone's, by status)",
  security: [{ bearer: [] }],
  request: { query: ListOrdersQuery },
  responses: { 200: json(OrderPage, "A page of orders"), ...problemResponses(400, 401) },
});

export function registerListOrders(app: OrdersApp) {
  app.openapi(listOrdersRoute, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await listOrders(c.env.DB, principalOf(c), c.req.valid("query")), 200);
  });
}
