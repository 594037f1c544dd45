import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ListPaymentsQuery, PaymentPage, Problem } from "@shop/contracts";
import { principalOf } from "@shop/runtime";
import { database } from "../../db/client";
import type { PaymentsApp } from "../../env";
import { listPayments } from "../../services/payments/list";
import { requireUser } from "../auth";

const problem = { "application/problem+json": { schema: Problem } };

const listPaymentsRoute = createRoute({
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

export function registerListPayments(app: OpenAPIHono<PaymentsApp>) {
  app.openapi(listPaymentsRoute, async (c) => {
    const principal = principalOf(c);
    const query = c.req.valid("query");
    const page = await listPayments(database(c.env.DB), {
      viewer: { userId: principal.userId, admin: principal.role === "admin" },
      ...query,
    });
    return c.json(page, 200);
  });
}
