import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ContactVerified, VerifyEmailBody, VerifyEmailQuery } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { UsersEnv } from "../../env";
import { verifyEmail } from "../../services/verification/verify-email";

const responses = {
  200: { description: "The address is verified", content: { "application/json": { schema: ContactVerified } } },
  ...problemResponses(400, 413, 415),
};

export const verifyEmailRoute = createRoute({
  method: "post",
  path: "/users/verify-email",
  tags: ["users"],
  summary: "Verify an email address with the token from the link we sent",
  request: { body: { required: true, content: { "application/json": { schema: VerifyEmailBody } } } },
  responses,
});

/** The same for a page that has the token in its URL (the storefront's link landing). */
export const verifyEmailLinkRoute = createRoute({
  method: "get",
  path: "/users/verify-email",
  tags: ["users"],
  summary: "Verify an email address (token as a query parameter)",
  request: { query: VerifyEmailQuery },
  responses,
});

export const verifyEmailHandler: RouteHandler<typeof verifyEmailRoute, UsersEnv> = async (c) => {
  await verifyEmail(c.var.ctx, c.req.valid("json"));
  return c.json({ status: "verified" as const }, 200);
};

export const verifyEmailLinkHandler: RouteHandler<typeof verifyEmailLinkRoute, UsersEnv> = async (c) => {
  await verifyEmail(c.var.ctx, c.req.valid("query"));
  c.header("cache-control", "no-store");
  return c.json({ status: "verified" as const }, 200);
};
