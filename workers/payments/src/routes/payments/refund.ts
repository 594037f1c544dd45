import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { IdempotencyKey, PaymentId, Problem, RefundRequest, RefundResponse } from "@shop/contracts";
import { AppError, idempotencyProblem, RETRY_AFTER_HEADERS, rateLimit } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { PaymentsEnv } from "../../env";
import { requestRefund } from "../../services/payments/request-refund";
import { REFUND_LIMITS } from "../rate-limits";

const problem = { "application/problem+json": { schema: Problem } };

export const refundPaymentRoute = createRoute({
  method: "post",
  path: "/payments/{id}/refund",
  tags: ["payments"],
  summary: "Refund a payment in part or in full (admin; Idempotency-Key required)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin, rateLimit(REFUND_LIMITS)] as const,
  request: {
    params: z.object({ id: PaymentId }),
    headers: z.object({ "idempotency-key": IdempotencyKey }),
    body: { required: true, content: { "application/json": { schema: RefundRequest } } },
  },
  responses: {
    201: { description: "Refunded", content: { "application/json": { schema: RefundResponse } } },
    400: { description: "Bad body or missing Idempotency-Key", content: problem },
    401: { description: "No valid token", content: problem },
    403: { description: "Not an admin", content: problem },
    404: { description: "No such payment", content: problem },
    409: { description: "Not refundable now, or the same key is in flight", content: problem },
    422: { description: "More than is left to refund, or the key was used for another request", content: problem },
    429: {
      description: "Too many refunds by this user or from this client; see Retry-After",
      content: problem,
      headers: RETRY_AFTER_HEADERS,
    },
    503: {
      description: "The payment provider is unavailable; retry with the same key (after Retry-After)",
      content: problem,
      headers: RETRY_AFTER_HEADERS,
    },
  },
});

export const refundPaymentHandler: RouteHandler<typeof refundPaymentRoute, PaymentsEnv> = async (c) => {
  const input = {
    ...c.req.valid("json"),
    paymentId: c.req.valid("param").id,
    idempotencyKey: c.req.valid("header")["idempotency-key"],
  };
  const outcome = await requestRefund(c.var.ctx, input).catch((err: unknown) => {
    throw idempotencyProblem(err) ?? err;
  });
  // A replayed answer says so, refusals included (they are stored under the key too).
  const replayed: Record<string, string> | undefined = outcome.replayed ? { "idempotent-replayed": "true" } : undefined;
  if (!outcome.ok) throw refundRefusal(outcome.code, outcome.detail, replayed);
  return c.json(outcome.value, 201, replayed);
};

/**
 * The HTTP answer to a stored refusal of the refund service. It stays here rather than a domain
 * error: a replayed refusal carries `Idempotent-Replayed`, and "more than is left" is a 422.
 */
function refundRefusal(code: string, detail: string, headers?: Record<string, string>): AppError {
  if (code === "not_found") return new AppError(404, "not_found", detail, undefined, headers);
  if (code === "amount_too_large") return new AppError(422, "unprocessable", detail, undefined, headers);
  return new AppError(409, "invalid_transition", detail, undefined, headers);
}
