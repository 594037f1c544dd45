import { authenticateWithUsers, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { NotificationsEnv } from "./env";

/** Tokens are verified here against the JWKS of `users` (over RPC), never trusted from the gateway. */
export const requireUser: MiddlewareHandler<NotificationsEnv> = authenticateWithUsers();
export const requireAdmin: MiddlewareHandler<NotificationsEnv> = requireRole("admin");
