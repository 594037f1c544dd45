import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { DeadLetter, DeadLetterIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { NotificationsEnv } from "../../env";
import { replayDeadLetter } from "../../services/dead-letters/dead-letters";

export const replayDeadLetterRoute = createRoute({
  method: "post",
  path: "/notifications/dead-letters/{id}/replay",
  tags: ["notifications"],
  summary: "Queue a dead message again, once; channels already sent are not sent again (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: DeadLetterIdParams },
  responses: {
    202: { description: "Re-queued", content: { "application/json": { schema: DeadLetter } } },
    ...problemResponses(400, 401, 403, 404, 409, 503),
  },
});

export const replayDeadLetterHandler: RouteHandler<typeof replayDeadLetterRoute, NotificationsEnv> = async (c) => {
  return c.json(await replayDeadLetter(c.var.ctx, c.req.valid("param")), 202);
};
