import { z } from "zod";

/** Stable machine-readable error codes; `type` in problem+json is derived from them. */
export const ErrorCode = z.enum([
  "bad_request",
  "validation_failed",
  "unsupported_media_type",
  "payload_too_large",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "precondition_failed",
  "precondition_required",
  "unprocessable",
  "idempotency_key_reused",
  "idempotency_in_flight",
  "insufficient_stock",
  /** The order's total, priced again when stock was held, is not the one the shopper saw (ADR 0035). */
  "price_changed",
  "invalid_transition",
  "rate_limited",
  "service_unavailable",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = z.object({
  path: z.string().meta({ description: "JSON pointer-ish path of the field, e.g. `lines.0.quantity`" }),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, the body of every error response. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    code: ErrorCode,
    requestId: z.string().optional(),
    errors: z.array(FieldError).optional(),
  })
  // Problems may carry extension members (RFC 9457 §3.2), e.g. `lines` on insufficient_stock.
  .loose()
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemType(code: ErrorCode): string {
  return `https://shop.example/problems/${code.replaceAll("_", "-")}`;
}
