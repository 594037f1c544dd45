import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { DeliveryPage, ListDeliveriesQuery } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { NotificationsEnv } from "../../env";
import { listMyDeliveries } from "../../services/deliveries/list-mine";

export const listNotificationsRoute = createRoute({
  method: "get",
  path: "/notifications",
  tags: ["notifications"],
  summary: "What was sent to me: type, channel, status and time, newest first",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { query: ListDeliveriesQuery },
  responses: {
    200: { description: "A page of deliveries", content: { "application/json": { schema: DeliveryPage } } },
    ...problemResponses(400, 401),
  },
});

export const listNotificationsHandler: RouteHandler<typeof listNotificationsRoute, NotificationsEnv> = async (c) => {
  return c.json(await listMyDeliveries(c.var.ctx, c.req.valid("query")), 200);
};
