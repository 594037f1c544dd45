import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { Payment, PaymentId, Problem } from "@shop/contracts";
import { requireUser } from "../../auth";
import type { PaymentsEnv } from "../../env";
import { getVisiblePayment } from "../../services/payments/get";

const problem = { "application/problem+json": { schema: Problem } };

export const getPaymentRoute = createRoute({
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

export const getPaymentHandler: RouteHandler<typeof getPaymentRoute, PaymentsEnv> = async (c) => {
  return c.json(await getVisiblePayment(c.var.ctx, { id: c.req.valid("param").id }), 200);
};
