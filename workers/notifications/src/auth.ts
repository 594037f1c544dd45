import { authenticate, callMeta, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { NotificationsEnv } from "./env";

/** Tokens are verified here against the JWKS of `users` (over RPC), never trusted from the gateway. */
export const requireUser: MiddlewareHandler<NotificationsEnv> = authenticate((c) =>
  c.env.USERS.jwks(callMeta(c as never)),
);
export const requireAdmin: MiddlewareHandler<NotificationsEnv> = requireRole("admin");
