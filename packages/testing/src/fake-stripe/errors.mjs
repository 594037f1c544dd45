/**
 * Stripe's error bodies: `{ error: { type, code?, decline_code?, param?, message, doc_url?,
 * payment_intent?, … } }` with the HTTP status the SDK maps to its error classes
 * (400/404 → StripeInvalidRequestError or StripeIdempotencyError, 401 → Authentication,
 * 402 → Card, 409 → API error that the SDK retries, 429 → RateLimit, 5xx → API).
 */

export class StripeApiError extends Error {
  /**
   * @param {number} status
   * @param {Record<string, unknown>} error the body's `error` object
   * @param {{ store?: boolean }} [opts] `store: false` for a request refused before the endpoint ran
   *   (parameter validation): Stripe keeps no idempotent result for those, so a retry re-runs.
   */
  constructor(status, error, opts = {}) {
    super(String(error.message));
    this.status = status;
    this.error = error;
    this.store = opts.store ?? true;
  }
}

/** @param {string} code */
const docUrl = (code) => `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;

/**
 * A parameter refused before the endpoint ran (never stored under the idempotency key).
 * @param {string} message @param {{ code?: string, param?: string, status?: number }} [f]
 */
export function invalidRequest(message, f = {}) {
  return new StripeApiError(
    f.status ?? 400,
    {
      type: "invalid_request_error",
      ...(f.code ? { code: f.code, doc_url: docUrl(f.code) } : {}),
      ...(f.param ? { param: f.param } : {}),
      message,
    },
    { store: false },
  );
}

/**
 * The endpoint ran and refused in the object's current state (stored under the idempotency key).
 * @param {string} code @param {string} message @param {Record<string, unknown>} [extra]
 */
export function stateError(code, message, extra = {}) {
  return new StripeApiError(400, { type: "invalid_request_error", code, doc_url: docUrl(code), message, ...extra });
}

/** @param {string} kind e.g. payment_intent @param {string} id @param {string} param */
export function noSuch(kind, id, param, status = 404) {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: "resource_missing", param, status });
}

/**
 * A card decline: HTTP 402 `card_error` with the intent as it was left.
 * @param {{ code: string, declineCode?: string, message: string, param?: string }} d
 * @param {Record<string, unknown>} extra charge, payment_intent, payment_method
 */
export function cardError(d, extra) {
  return new StripeApiError(402, {
    type: "card_error",
    code: d.code,
    ...(d.declineCode ? { decline_code: d.declineCode } : {}),
    doc_url: docUrl(d.code),
    message: d.message,
    ...(d.param ? { param: d.param } : {}),
    ...extra,
  });
}
