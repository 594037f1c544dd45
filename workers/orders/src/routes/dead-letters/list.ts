import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ListQueueDeadLettersQuery, QueueDeadLetterPage } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { listPaymentEventDeadLetters } from "../../services/dead-letters/list";
import { json } from "../responses";

export const listDeadLettersRoute = createRoute({
  method: "get",
  path: "/orders/dead-letters",
  tags: ["orders"],
  summary: "Admin: payment events that exhausted their retries, newest first",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { query: ListQueueDeadLettersQuery },
  responses: { 200: json(QueueDeadLetterPage, "A page of dead letters"), ...problemResponses(400, 401, 403) },
});

/** Registered before `/orders/{id}`, so the literal path wins. */
export const listDeadLettersHandler: RouteHandler<typeof listDeadLettersRoute, OrdersEnv> = async (c) => {
  c.header("cache-control", "no-store");
  return c.json(await listPaymentEventDeadLetters(c.var.ctx, c.req.valid("query")), 200);
};
