import { authenticate, callMeta, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { ProductsEnv } from "./env";

/** Tokens are verified here against the JWKS of `users` (over RPC), never trusted from the gateway. */
export const requireUser: MiddlewareHandler<ProductsEnv> = authenticate((c) => c.env.USERS.jwks(callMeta(c as never)));
export const requireAdmin: MiddlewareHandler<ProductsEnv> = requireRole("admin");
