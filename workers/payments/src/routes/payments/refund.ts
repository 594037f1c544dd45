import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { IdempotencyKey, PaymentId, Problem, RefundRequest, RefundResponse } from "@shop/contracts";
import {
  AppError,
  type Idempotent,
  idempotencyProblem,
  principalOf,
  RETRY_AFTER_HEADERS,
  rateLimit,
  requestFingerprint,
  requireRole,
  runIdempotent,
} from "@shop/runtime";
import type { PaymentsApp } from "../../env";
import { paymentDeps } from "../../services/payments/deps";
import { refundPayment } from "../../services/payments/refund";
import { refundView } from "../../services/payments/refund-view";
import { ProviderUnavailableError } from "../../services/providers/provider";
import { requireUser } from "../auth";
import { REFUND_LIMITS } from "../rate-limits";

const problem = { "application/problem+json": { schema: Problem } };

const refundPaymentRoute = createRoute({
  method: "post",
  path: "/payments/{id}/refund",
  tags: ["payments"],
  summary: "Refund a payment in part or in full (admin; Idempotency-Key required)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireRole("admin"), rateLimit(REFUND_LIMITS)] as const,
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
    503: { description: "The payment provider is unavailable; retry with the same key", content: problem },
  },
});

export function registerRefundPayment(app: OpenAPIHono<PaymentsApp>) {
  app.openapi(refundPaymentRoute, async (c) => {
    const principal = principalOf(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const deps = paymentDeps(c.env, { traceparent: c.get("traceparent") });
    const fingerprint = await requestFingerprint(["POST /payments/{id}/refund", id, body.amount ?? null, body.reason]);

    let outcome: Idempotent<unknown>;
    try {
      outcome = await runIdempotent(c.env.DB, { scope: `refund:${principal.userId}`, key, fingerprint }, async () => {
        let result: Awaited<ReturnType<typeof refundPayment>>;
        try {
          result = await refundPayment(deps, { ...body, paymentId: id, idempotencyKey: key });
        } catch (err) {
          if (err instanceof ProviderUnavailableError) {
            throw new AppError(
              503,
              "service_unavailable",
              "The payment provider is unavailable; retry with the same key.",
            );
          }
          throw err;
        }
        if (!result.ok) return { ok: false, code: result.code, detail: result.message };
        return { ok: true, value: await refundView(deps.db, result.refundId) };
      });
    } catch (err) {
      throw idempotencyProblem(err) ?? err;
    }

    const replayed: Record<string, string> | undefined = outcome.replayed
      ? { "idempotent-replayed": "true" }
      : undefined;
    if (!outcome.ok) throw refundRefusal(outcome.code, outcome.detail, replayed);
    return new Response(JSON.stringify(outcome.value), {
      status: 201,
      headers: { "content-type": "application/json", ...replayed },
    }) as never;
  });
}

/** The HTTP answer to a refusal of the refund service (stored under the key, so also replayed). */
function refundRefusal(code: string, detail: string, headers?: Record<string, string>): AppError {
  if (code === "not_found") return new AppError(404, "not_found", detail, undefined, headers);
  if (code === "amount_too_large") return new AppError(422, "unprocessable", detail, undefined, headers);
  return new AppError(409, "invalid_transition", detail, undefined, headers);
}
