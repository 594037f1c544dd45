import { authenticateWithUsers } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { PaymentsApp } from "../env";

/** Bearer-token check against the JWKS of `users` (one verifier and key cache per isolate). */
export const requireUser: MiddlewareHandler<PaymentsApp> = authenticateWithUsers();
