import type { RateLimitPolicy } from "@shop/runtime";

/**
 * POST /notifications/send: per admin and per client address (bindings in wrangler.toml,
 * ADR 0012), before the per-admin count in D1 so a burst is refused without a database write.
 */
export const SEND_LIMITS: RateLimitPolicy = {
  what: "messages",
  perUser: "SEND_USER_LIMITER",
  perClient: "SEND_CLIENT_LIMITER",
  periodSeconds: 60,
};
