import { authenticateWithUsers, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { ProductsEnv } from "./env";

/** Tokens are verified here against the JWKS of `users` (over RPC), never trusted from the gateway. */
export const requireUser: MiddlewareHandler<ProductsEnv> = authenticateWithUsers();
export const requireAdmin: MiddlewareHandler<ProductsEnv> = requireRole("admin");
