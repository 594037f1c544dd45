import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { QueueDeadLetter, QueueDeadLetterIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { OrdersEnv } from "../../env";
import { replayPaymentEventDeadLetter } from "../../services/dead-letters/replay";
import { json } from "../responses";

export const replayDeadLetterRoute = createRoute({
  method: "post",
  path: "/orders/dead-letters/{id}/replay",
  tags: ["orders"],
  summary: "Admin: apply a dead payment event to its order, once (malformed or already replayed → 409)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: QueueDeadLetterIdParams },
  responses: {
    200: json(QueueDeadLetter, "Replayed; `replayOutcome` says what it did to the order"),
    ...problemResponses(400, 401, 403, 404, 409, 503),
  },
});

export const replayDeadLetterHandler: RouteHandler<typeof replayDeadLetterRoute, OrdersEnv> = async (c) => {
  return c.json(await replayPaymentEventDeadLetter(c.var.ctx, { id: c.req.valid("param").id }), 200);
};
