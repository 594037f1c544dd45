import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { LoginBody, TokenPair } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { database } from "../../db/client";
import type { UsersEnv } from "../../env";
import { login } from "../../services/sessions/login";

export const loginRoute = createRoute({
  method: "post",
  path: "/users/login",
  tags: ["users"],
  summary: "Sign in: an access token (15 min) and a refresh token",
  request: { body: { required: true, content: { "application/json": { schema: LoginBody } } } },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: TokenPair } } },
    ...problemResponses(400, 401, 413, 415, 429),
  },
});

export const loginHandler: RouteHandler<typeof loginRoute, UsersEnv> = async (c) => {
  const pair = await login(database(c.env.DB), c.env, c.req.valid("json"));
  return c.json(pair, 200, { "cache-control": "no-store" });
};
