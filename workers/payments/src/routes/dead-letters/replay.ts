import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { QueueDeadLetter, QueueDeadLetterIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { PaymentsEnv } from "../../env";
import { replaySimulatorDeadLetter } from "../../services/dead-letters/replay";

export const replayDeadLetterRoute = createRoute({
  method: "post",
  path: "/payments/dead-letters/{id}/replay",
  tags: ["payments"],
  summary: "Admin: apply a dead simulated gateway event, once (malformed or already replayed → 409)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: QueueDeadLetterIdParams },
  responses: {
    200: {
      description: "Replayed; `replayOutcome` says what it did to the payment",
      content: { "application/json": { schema: QueueDeadLetter } },
    },
    ...problemResponses(400, 401, 403, 404, 409, 503),
  },
});

export const replayDeadLetterHandler: RouteHandler<typeof replayDeadLetterRoute, PaymentsEnv> = async (c) => {
  return c.json(await replaySimulatorDeadLetter(c.var.ctx, { id: c.req.valid("param").id }), 200);
};
