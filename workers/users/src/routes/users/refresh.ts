import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { RefreshBody, TokenPair } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { database } from "../../db/client";
import type { UsersEnv } from "../../env";
import { refresh } from "../../services/sessions/refresh";

export const refreshRoute = createRoute({
  method: "post",
  path: "/users/refresh",
  tags: ["users"],
  summary: "Rotate a refresh token; replaying an old one signs the whole session out",
  request: { body: { required: true, content: { "application/json": { schema: RefreshBody } } } },
  responses: {
    200: { description: "A new token pair", content: { "application/json": { schema: TokenPair } } },
    ...problemResponses(400, 401, 413, 415),
  },
});

export const refreshHandler: RouteHandler<typeof refreshRoute, UsersEnv> = async (c) => {
  const pair = await refresh(database(c.env.DB), c.env, c.req.valid("json").refreshToken);
  return c.json(pair, 200, { "cache-control": "no-store" });
};
