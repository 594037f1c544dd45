/**
 * Stripe's idempotency keys (https://docs.stripe.com/api/idempotent_requests): the first answer
 * under a key is kept 24 h and replayed (`Idempotent-Replayed: true`) for the same endpoint and
 * parameters; other parameters or endpoint → 400 `idempotency_error`; a second request while the
 * first is still running → 409 `idempotency_key_in_use`. Requests refused before the endpoint
 * ran (parameter validation, authentication, injected 5xx) keep nothing, so a retry runs again.
 */
import { StripeApiError } from "./errors.mjs";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * @typedef {{ status: number, headers: Record<string, string>, body: string }} WireResponse
 * @typedef {{ fp: string, at: number, response: WireResponse | null }} KeyRecord
 */

/** @param {() => number} now */
export function createIdempotency(now) {
  /** @type {Map<string, KeyRecord>} */
  const keys = new Map();

  return {
    keys,
    /**
     * Runs `work` once per key. @param {string} key @param {string} fp
     * @param {() => Promise<{ response: WireResponse, store: boolean }>} work
     * @returns {Promise<WireResponse | StripeApiError>} a stored replay, an idempotency error, or the fresh answer
     */
    async run(key, fp, work) {
      const seen = keys.get(key);
      if (seen && now() - seen.at > DAY_MS) keys.delete(key);
      const record = keys.get(key);
      if (record) {
        if (record.fp !== fp) {
          const sameEndpoint = record.fp.split("\n")[0] === fp.split("\n")[0];
          return new StripeApiError(400, {
            type: "idempotency_error",
            message: sameEndpoint
              ? `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`
              : `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${record.fp.split("\n")[0]}' vs '${fp.split("\n")[0]}'). Try using a key other than '${key}' if you meant to execute a different request.`,
          });
        }
        if (!record.response) {
          return new StripeApiError(409, {
            type: "invalid_request_error",
            code: "idempotency_key_in_use",
            doc_url: "https://stripe.com/docs/error-codes/idempotency-key-in-use",
            message:
              "There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.",
          });
        }
        return {
          ...record.response,
          headers: { ...record.response.headers, "idempotent-replayed": "true" },
        };
      }
      /** @type {KeyRecord} */
      const fresh = { fp, at: now(), response: null };
      keys.set(key, fresh);
      try {
        const { response, store } = await work();
        if (store) fresh.response = response;
        else keys.delete(key);
        return response;
      } catch (err) {
        keys.delete(key);
        throw err;
      }
    },
  };
}
