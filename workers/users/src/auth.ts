import { authenticate, requireRole } from "@shop/runtime";
import type { MiddlewareHandler } from "hono";
import type { UsersEnv } from "./env";
import { publicJwks } from "./keys";

/**
 * Access tokens are verified exactly as every other service does (algorithm pinned, iss/aud/
 * exp/nbf, key by kid), except that the key set comes straight from this worker's own keys.
 */
export const requireUser: MiddlewareHandler<UsersEnv> = authenticate((c) => publicJwks(c.env));
export const requireAdmin: MiddlewareHandler<UsersEnv> = requireRole("admin");
