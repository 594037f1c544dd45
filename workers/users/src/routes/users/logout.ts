import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { RefreshBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { database } from "../../db/client";
import type { UsersEnv } from "../../env";
import { logout } from "../../services/sessions/logout";

export const logoutRoute = createRoute({
  method: "post",
  path: "/users/logout",
  tags: ["users"],
  summary: "Sign out: revoke every refresh token of this session",
  request: { body: { required: true, content: { "application/json": { schema: RefreshBody } } } },
  responses: {
    204: { description: "Signed out (also for a token that was already invalid)" },
    ...problemResponses(400, 413, 415),
  },
});

export const logoutHandler: RouteHandler<typeof logoutRoute, UsersEnv> = async (c) => {
  await logout(database(c.env.DB), c.req.valid("json").refreshToken);
  return c.body(null, 204);
};
