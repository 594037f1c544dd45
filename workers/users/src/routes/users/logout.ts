import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { SessionBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { UsersEnv } from "../../env";
import { logout } from "../../services/sessions/logout";
import { clearedSessionCookie, SESSION_COOKIE, sessionCookieOf } from "./session-cookie";

export const logoutRoute = createRoute({
  method: "post",
  path: "/users/logout",
  tags: ["users"],
  summary: "Sign out: revoke every refresh token of this session",
  description: `The token from the body, or else from the \`${SESSION_COOKIE}\` cookie, which is always cleared.`,
  request: { body: { required: false, content: { "application/json": { schema: SessionBody } } } },
  responses: {
    204: { description: "Signed out (also for a token that was already invalid, or none)" },
    ...problemResponses(400, 413, 415),
  },
});

export const logoutHandler: RouteHandler<typeof logoutRoute, UsersEnv> = async (c) => {
  const token = c.req.valid("json").refreshToken ?? sessionCookieOf(c);
  if (token) await logout(c.var.ctx, { token });
  return c.body(null, 204, { "set-cookie": clearedSessionCookie() });
};
