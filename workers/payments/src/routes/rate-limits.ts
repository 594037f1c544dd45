import type { RateLimitPolicy } from "@shop/runtime";

/** POST /payments/{id}/refund: per admin and per client address (bindings in wrangler.toml, ADR 0012). */
export const REFUND_LIMITS: RateLimitPolicy = {
  what: "refunds",
  perUser: "REFUND_USER_LIMITER",
  perClient: "REFUND_CLIENT_LIMITER",
  periodSeconds: 60,
};
