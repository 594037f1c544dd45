import { authenticateWithUsers, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { PaymentsEnv } from "./env";

/** Bearer-token check against the JWKS of `users` (one verifier and key cache per isolate). */
export const requireUser: MiddlewareHandler<PaymentsEnv> = authenticateWithUsers();
export const requireAdmin: MiddlewareHandler<PaymentsEnv> = requireRole("admin");
