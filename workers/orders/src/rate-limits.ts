import type { RateLimitPolicy } from "@shop/runtime";

/** POST /orders: per user and per client address (bindings in wrangler.toml, ADR 0012). */
export const CHECKOUT_LIMITS: RateLimitPolicy = {
  what: "checkouts",
  perUser: "CHECKOUT_USER_LIMITER",
  perClient: "CHECKOUT_CLIENT_LIMITER",
  periodSeconds: 60,
};

/** POST /cart/items, PATCH/DELETE /cart/items/{productId}, DELETE /cart; guests count per client only. */
export const CART_WRITE_LIMITS: RateLimitPolicy = {
  what: "cart changes",
  perUser: "CART_USER_LIMITER",
  perClient: "CART_CLIENT_LIMITER",
  periodSeconds: 60,
};
