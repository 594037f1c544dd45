import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { Payment, PaymentId, Problem } from "@shop/contracts";
import { notFound, principalOf } from "@shop/runtime";
import { database } from "../../db/client";
import type { PaymentsApp } from "../../env";
import { findVisiblePayment } from "../../services/payments/get";
import { toView } from "../../services/payments/summary";
import { requireUser } from "../auth";

const problem = { "application/problem+json": { schema: Problem } };

const getPaymentRoute = createRoute({
  method: "get",
  path: "/payments/{id}",
  tags: ["payments"],
  summary: "One payment (its owner or an admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { params: z.object({ id: PaymentId }) },
  responses: {
    200: { description: "The payment", content: { "application/json": { schema: Payment } } },
    400: { description: "Malformed id", content: problem },
    401: { description: "No valid token", content: problem },
    404: { description: "No such payment of yours", content: problem },
  },
});

export function registerGetPayment(app: OpenAPIHono<PaymentsApp>) {
  app.openapi(getPaymentRoute, async (c) => {
    const principal = principalOf(c);
    const row = await findVisiblePayment(database(c.env.DB), c.req.valid("param").id, {
      userId: principal.userId,
      admin: principal.role === "admin",
    });
    if (!row) throw notFound("The payment");
    return c.json(toView(row), 200);
  });
}
