import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { DeadLetterPage, ListDeadLettersQuery } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { NotificationsEnv } from "../../env";
import { listDeadLetters } from "../../services/dead-letters/dead-letters";

export const listDeadLettersRoute = createRoute({
  method: "get",
  path: "/notifications/dead-letters",
  tags: ["notifications"],
  summary: "Messages that could not be delivered, newest first (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { query: ListDeadLettersQuery },
  responses: {
    200: { description: "A page of dead letters", content: { "application/json": { schema: DeadLetterPage } } },
    ...problemResponses(400, 401, 403),
  },
});

export const listDeadLettersHandler: RouteHandler<typeof listDeadLettersRoute, NotificationsEnv> = async (c) => {
  return c.json(await listDeadLetters(c.var.ctx, c.req.valid("query")), 200);
};
