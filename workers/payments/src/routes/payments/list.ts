import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ListPaymentsQuery, PaymentPage, Problem } from "@shop/contracts";
import { requireUser } from "../../auth";
import type { PaymentsEnv } from "../../env";
import { listPayments } from "../../services/payments/list";

const problem = { "application/problem+json": { schema: Problem } };

export const listPaymentsRoute = createRoute({
  method: "get",
  path: "/payments",
  tags: ["payments"],
  summary: "My payments (admins: everyone's, filterable by status, order, user, and money received after close)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { query: ListPaymentsQuery },
  responses: {
    200: { description: "A page of payments, newest first", content: { "application/json": { schema: PaymentPage } } },
    400: { description: "Bad query", content: problem },
    401: { description: "No valid token", content: problem },
  },
});

export const listPaymentsHandler: RouteHandler<typeof listPaymentsRoute, PaymentsEnv> = async (c) => {
  return c.json(await listPayments(c.var.ctx, c.req.valid("query")), 200);
};
