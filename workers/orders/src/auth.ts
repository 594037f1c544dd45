import { authenticateWithUsers, rateLimit, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { OrdersEnv } from "./env";
import { CART_WRITE_LIMITS, CHECKOUT_LIMITS } from "./rate-limits";

/**
 * What a route states in its `middleware` (ADR 0021). Tokens are verified here against the
 * JWKS of `users` (over RPC), never trusted from the gateway.
 */
export const requireUser: MiddlewareHandler<OrdersEnv> = authenticateWithUsers();
/** Carts work for guests too: a token is optional, but a bad one is still a 401. */
export const optionalUser: MiddlewareHandler<OrdersEnv> = authenticateWithUsers({ required: false });
export const requireAdmin: MiddlewareHandler<OrdersEnv> = requireRole("admin");

/** Money paths, after authentication so the user is known (ADR 0012): 429 + Retry-After. */
export const limitCheckouts: MiddlewareHandler<OrdersEnv> = rateLimit(CHECKOUT_LIMITS);
export const limitCartWrites: MiddlewareHandler<OrdersEnv> = rateLimit(CART_WRITE_LIMITS);
