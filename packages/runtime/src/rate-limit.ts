import { CLIENT_IP_HEADER, type Principal } from "@shop/contracts";
import type { MiddlewareHandler } from "hono";
import { clientKey } from "./client-key";
import { AppError } from "./errors";

/** The part of a Workers rate-limiting binding (`[[ratelimits]]`) this uses. */
export type RateLimiter = { limit(options: { key: string }): Promise<{ success: boolean }> };

/**
 * One money-path operation's limits (ADR 0012). `perUser` and `perClient` name rate-limiting
 * bindings of the worker; each has its own budget, so a shared address (office NAT, mobile
 * carrier) gets a larger allowance than one account. `periodSeconds` is the bindings' period
 * and what a refused client is told to wait.
 */
export type RateLimitPolicy = {
  /** Shown to the client: "Too many <what>". */
  what: string;
  perUser?: string;
  perClient?: string;
  periodSeconds: 10 | 60;
};

/**
 * Refuses a request with 429 `rate_limited` + `Retry-After` when the caller's user (set by
 * `authenticate()` before this runs) or its client address (`x-shop-client-ip`, set by the
 * gateway, which strips any client-supplied copy) is over its budget. Requests that reach the
 * worker without that header (other workers, tests) are limited per user only.
 *
 * `RATE_LIMITS = "off"` turns every limit off: only the local test harnesses set it, which
 * place hundreds of orders from one address; a dedicated test proves the 429.
 */
export function rateLimit(policy: RateLimitPolicy): MiddlewareHandler {
  return async (c, next) => {
    const env = (c.env ?? {}) as Record<string, unknown>;
    if (env.RATE_LIMITS === "off") return next();
    const principal = c.get("principal") as Principal | undefined;
    const ip = c.req.header(CLIENT_IP_HEADER);
    const checks: [RateLimiter | undefined, string][] = [];
    if (policy.perUser && principal) checks.push([env[policy.perUser] as RateLimiter, `user:${principal.userId}`]);
    if (policy.perClient && ip) checks.push([env[policy.perClient] as RateLimiter, `client:${clientKey(ip)}`]);
    for (const [limiter, key] of checks) {
      // A binding missing from the config is a deployment slip: fail open (availability), visibly in review.
      if (!limiter) continue;
      const { success } = await limiter.limit({ key });
      if (!success) {
        throw new AppError(
          429,
          "rate_limited",
          `Too many ${policy.what}; try again in ${policy.periodSeconds} seconds.`,
          undefined,
          { "retry-after": String(policy.periodSeconds) },
        );
      }
    }
    return next();
  };
}
