import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { RefreshedTokens, SessionBody } from "@shop/contracts";
import { problemResponses, Unauthenticated } from "@shop/runtime";
import type { UsersEnv } from "../../env";
import { refresh } from "../../services/sessions/refresh";
import { SESSION_COOKIE, sessionCookie, sessionCookieOf, withClearedCookie } from "./session-cookie";

export const refreshRoute = createRoute({
  method: "post",
  path: "/users/refresh",
  tags: ["users"],
  summary: "Rotate a refresh token; replaying an old one signs the whole session out",
  description:
    `The token from the body, or else from the \`${SESSION_COOKIE}\` cookie. A body token gets its ` +
    "successor in the body; a cookie gets it as the cookie only (never readable by script).",
  request: { body: { required: false, content: { "application/json": { schema: SessionBody } } } },
  responses: {
    200: {
      description: "A new access token, and the refresh token's successor",
      headers: { "set-cookie": { description: `\`${SESSION_COOKIE}\`: the successor`, schema: { type: "string" } } },
      content: { "application/json": { schema: RefreshedTokens } },
    },
    ...problemResponses(400, 401, 413, 415),
  },
});

export const refreshHandler: RouteHandler<typeof refreshRoute, UsersEnv> = async (c) => {
  const fromBody = c.req.valid("json").refreshToken;
  const token = fromBody ?? sessionCookieOf(c);
  if (!token) throw new Unauthenticated(`Send the refresh token in the body or the ${SESSION_COOKIE} cookie.`);
  try {
    const pair = await refresh(c.var.ctx, { token });
    const headers = { "cache-control": "no-store", "set-cookie": sessionCookie(pair.refreshToken) };
    if (fromBody) return c.json(pair, 200, headers);
    const { refreshToken: _inCookieOnly, ...access } = pair;
    return c.json(access, 200, headers);
  } catch (err) {
    // A dead cookie is removed with the 401, so the browser stops presenting it.
    throw fromBody ? err : withClearedCookie(err);
  }
};
