import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { RegisterAccepted, RegisterBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import type { UsersEnv } from "../../env";
import { register } from "../../services/users/register";

export const registerRoute = createRoute({
  method: "post",
  path: "/users",
  tags: ["users"],
  summary: "Register a customer account",
  description:
    "Answers 202 the same way whether or not the email already has an account. A new account gets a " +
    "verification link by email; the owner of an address already registered gets a warning instead. " +
    "Sign-in works before verification; welcome email and SMS wait for it.",
  request: { body: { required: true, content: { "application/json": { schema: RegisterBody } } } },
  responses: {
    202: {
      description: "Accepted; the next step arrives by email",
      content: { "application/json": { schema: RegisterAccepted } },
    },
    ...problemResponses(400, 413, 415),
  },
});

export const registerHandler: RouteHandler<typeof registerRoute, UsersEnv> = async (c) => {
  return c.json(await register(c.var.ctx, c.req.valid("json")), 202);
};
