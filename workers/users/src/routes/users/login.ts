import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { LoginBody, TokenPair } from "@shop/contracts";
import { clientKeyOf, problemResponses } from "@shop/runtime";
import type { UsersEnv } from "../../env";
import { login } from "../../services/sessions/login";
import { SESSION_COOKIE, sessionCookie } from "./session-cookie";

export const loginRoute = createRoute({
  method: "post",
  path: "/users/login",
  tags: ["users"],
  summary: "Sign in: an access token (15 min) and a refresh token",
  description:
    `The refresh token comes in the body (API clients) and as the \`${SESSION_COOKIE}\` cookie ` +
    "(HttpOnly, Secure, SameSite=Strict, Path=/users) for browsers. Throttled per account and " +
    "client: 429 with Retry-After (see the users README).",
  request: { body: { required: true, content: { "application/json": { schema: LoginBody } } } },
  responses: {
    200: {
      description: "Signed in",
      headers: {
        "set-cookie": { description: `\`${SESSION_COOKIE}\`: the refresh token`, schema: { type: "string" } },
      },
      content: { "application/json": { schema: TokenPair } },
    },
    ...problemResponses(400, 401, 413, 415, 429),
  },
});

export const loginHandler: RouteHandler<typeof loginRoute, UsersEnv> = async (c) => {
  const pair = await login(c.var.ctx, { ...c.req.valid("json"), client: clientKeyOf(c.req.raw.headers) });
  return c.json(pair, 200, { "cache-control": "no-store", "set-cookie": sessionCookie(pair.refreshToken) });
};
