import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, OrderPage, OrderStatus } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { listOrders } from "../../services/orders/list-orders";
import { json } from "../responses";

const ListOrdersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    cursor: z.string().max(600).optional(),
    status: OrderStatus.optional(),
    /** An order number, as customers quote it: `10042` or `#10042` (ADR 0013). */
    number: z
      .string()
      .regex(/^#?[1-9]\d{0,14}$/, "must be an order number such as 10042 or #10042")
      .transform((v) => Number(v.replace(/^#/, "")))
      .optional()
      .openapi({ example: "10042" }),
  })
  .strict();

export const listOrdersRoute = createRoute({
  method: "get",
  path: "/orders",
  tags: ["orders"],
  summary:
    "Order history, newest first, cursor pages (customers: their own; admins: everyone's, by status or by order number)",
  description:
    "For admins each order also carries `customer` (name and email of who placed it); both are null when the users service cannot say, and the page still answers.",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { query: ListOrdersQuery },
  responses: { 200: json(OrderPage, "A page of orders"), ...problemResponses(400, 401) },
});

export const listOrdersHandler: RouteHandler<typeof listOrdersRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await listOrders(c.var.ctx, c.req.valid("query")), 200);
};
