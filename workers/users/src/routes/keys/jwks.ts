import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Jwks } from "@shop/contracts";
import type { UsersEnv } from "../../env";
import { getJwks } from "../../services/keys/get-jwks";

export const jwksRoute = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["users"],
  summary: "Public keys that verify access tokens (current and recently rotated)",
  responses: {
    200: { description: "JSON Web Key Set", content: { "application/json": { schema: Jwks } } },
  },
});

/** Cached for 5 minutes, matching how long services trust a fetched key set. */
export const jwksHandler: RouteHandler<typeof jwksRoute, UsersEnv> = async (c) => {
  return c.json(await getJwks(c.var.ctx), 200, { "cache-control": "public, max-age=300" });
};
