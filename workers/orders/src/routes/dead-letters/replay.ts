import { createRoute } from "@hono/zod-openapi";
import { QueueDeadLetter, QueueDeadLetterIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { OrdersApp } from "../../app";
import { requireAdmin, requireUser } from "../../auth";
import { replayPaymentEventDeadLetter } from "../../services/dead-letters/replay";
import { json } from "../responses";

const replayDeadLetterRoute = createRoute({
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

export function registerReplayDeadLetter(app: OrdersApp) {
  app.openapi(replayDeadLetterRoute, async (c) => {
    return c.json(await replayPaymentEventDeadLetter(c.var.ctx, { id: c.req.valid("param").id }), 200);
  });
}
