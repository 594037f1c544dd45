import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { QueueDeadLetter, QueueDeadLetterIdParams } from "@shop/contracts";
import { principalOf, problemResponses, requireRole } from "@shop/runtime";
import type { PaymentsApp } from "../../env";
import { replaySimulatorDeadLetter } from "../../services/dead-letters/replay";
import { requireUser } from "../auth";

const replayDeadLetterRoute = createRoute({
  method: "post",
  path: "/payments/dead-letters/{id}/replay",
  tags: ["payments"],
  summary: "Admin: apply a dead simulated gateway event, once (malformed or already replayed → 409)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireRole("admin")] as const,
  request: { params: QueueDeadLetterIdParams },
  responses: {
    200: {
      description: "Replayed; `replayOutcome` says what it did to the payment",
      content: { "application/json": { schema: QueueDeadLetter } },
    },
    ...problemResponses(400, 401, 403, 404, 409, 503),
  },
});

export function registerReplayDeadLetter(app: OpenAPIHono<PaymentsApp>) {
  app.openapi(replayDeadLetterRoute, async (c) => {
    const admin = principalOf(c);
    return c.json(await replaySimulatorDeadLetter(c.env, c.req.valid("param").id, admin.userId), 200);
  });
}
