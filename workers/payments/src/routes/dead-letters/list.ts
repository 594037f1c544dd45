import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ListQueueDeadLettersQuery, QueueDeadLetterPage } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { PaymentsEnv } from "../../env";
import { listSimulatorDeadLetters } from "../../services/dead-letters/list";

/** Registered before `/payments/{id}`, so the literal path wins. */
export const listDeadLettersRoute = createRoute({
  method: "get",
  path: "/payments/dead-letters",
  tags: ["payments"],
  summary: "Admin: simulated gateway events that exhausted their retries, newest first",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { query: ListQueueDeadLettersQuery },
  responses: {
    200: {
      description: "A page of dead letters",
      content: { "application/json": { schema: QueueDeadLetterPage } },
    },
    ...problemResponses(400, 401, 403),
  },
});

export const listDeadLettersHandler: RouteHandler<typeof listDeadLettersRoute, PaymentsEnv> = async (c) => {
  const page = await listSimulatorDeadLetters(c.var.ctx, c.req.valid("query"));
  return c.json(page, 200, { "cache-control": "no-store" });
};
