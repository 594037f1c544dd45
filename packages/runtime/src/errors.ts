import { type ErrorCode, type FieldError, PROBLEM_CONTENT_TYPE, type Problem, problemType } from "@shop/contracts";
import type { z } from "zod";

const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "The request is not valid",
  unsupported_media_type: "Unsupported media type",
  payload_too_large: "Payload too large",
  unauthorized: "Authentication required",
  forbidden: "Not allowed",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  precondition_failed: "Precondition failed",
  precondition_required: "Precondition required",
  unprocessable: "Unprocessable request",
  idempotency_key_reused: "Idempotency key reused with another request",
  idempotency_in_flight: "A request with this idempotency key is in progress",
  insufficient_stock: "Not enough stock",
  price_changed: "The price changed",
  invalid_transition: "Not possible in the current state",
  rate_limited: "Too many requests",
  service_unavailable: "Service unavailable",
  internal: "Internal error",
};

/**
 * An HTTP error: a code, a status, and what to tell the client. For routes and middleware
 * only (a body too large, a missing If-Match, a bad token). Services throw the domain
 * errors of domain-errors.ts instead; workers still on AppError in services move over
 * one by one (ADR 0021), and this type stays for the HTTP layer.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** Extra members of the problem (RFC 9457 §3.2), e.g. `lines` for insufficient stock. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? TITLES[code]);
    this.name = "AppError";
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new AppError(400, "bad_request", detail, errors);
export const unauthorized = (detail = "A valid bearer token is required.") =>
  new AppError(401, "unauthorized", detail, undefined, { "www-authenticate": 'Bearer realm="shop"' });
export const forbidden = (detail = "You do not have the role this needs.") => new AppError(403, "forbidden", detail);
export const notFound = (what = "The resource") => new AppError(404, "not_found", `${what} was not found.`);
export const conflict = (code: ErrorCode, detail: string, errors?: FieldError[]) =>
  new AppError(409, code, detail, errors);

/** Converts a zod error into a 400 naming each failing field (unknown keys included). */
export function validationError(error: z.ZodError, where?: string): AppError {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        errors.push({ path: base ? `${base}.${key}` : key, message: "is not a known field" });
    } else {
      errors.push({ path: base || (where ?? "body"), message: issue.message });
    }
  }
  const fields = [...new Set(errors.map((e) => e.path))].join(", ");
  return new AppError(400, "validation_failed", `Invalid ${where ?? "request"}: ${fields}`, errors);
}

export function problemBody(
  status: number,
  code: ErrorCode,
  detail?: string,
  requestId?: string,
  errors?: FieldError[],
  extensions?: Record<string, unknown>,
): Problem {
  return {
    ...extensions,
    type: problemType(code),
    title: TITLES[code],
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(requestId ? { requestId } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

export function problemResponse(
  status: number,
  code: ErrorCode,
  detail?: string,
  requestId?: string,
  errors?: FieldError[],
  headers?: Record<string, string>,
  extensions?: Record<string, unknown>,
): Response {
  return new Response(JSON.stringify(problemBody(status, code, detail, requestId, errors, extensions)), {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers },
  });
}
