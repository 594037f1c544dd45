import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ListQueueDeadLettersQuery, QueueDeadLetterPage } from "@shop/contracts";
import { problemResponses, requireRole } from "@shop/runtime";
import type { PaymentsApp } from "../../env";
import { listSimulatorDeadLetters } from "../../services/dead-letters/list";
import { requireUser } from "../auth";

const listDeadLettersRoute = createRoute({
  method: "get",
  path: "/payments/dead-letters",
  tags: ["payments"],
  summary: "Admin: simulated gateway events that exhausted their retries, newest first",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireRole("admin")] as const,
  request: { query: ListQueueDeadLettersQuery },
  responses: {
    200: {
      description: "A page of dead letters",
      content: { "application/json": { schema: QueueDeadLetterPage } },
    },
    ...problemResponses(400, 401, 403),
  },
});

/** Registered before `/payments/{id}`, so the literal path wins. */
export function registerListDeadLetters(app: OpenAPIHono<PaymentsApp>) {
  app.openapi(listDeadLettersRoute, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await listSimulatorDeadLetters(c.env.DB, c.req.valid("query")), 200);
  });
}
