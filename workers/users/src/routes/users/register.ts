import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { RegisterBody, User } from "@shop/contracts";
import { callMeta, problemResponses } from "@shop/runtime";
import { database } from "../../db/client";
import type { UsersEnv } from "../../env";
import { register } from "../../services/users/register";

export const registerRoute = createRoute({
  method: "post",
  path: "/users",
  tags: ["users"],
  summary: "Register a customer account",
  request: { body: { required: true, content: { "application/json": { schema: RegisterBody } } } },
  responses: {
    201: { description: "The new account", content: { "application/json": { schema: User } } },
    ...problemResponses(400, 409, 413, 415),
  },
});

export const registerHandler: RouteHandler<typeof registerRoute, UsersEnv> = async (c) => {
  const user = await register(database(c.env.DB), c.env.NOTIFICATIONS, c.req.valid("json"), callMeta(c), (work) =>
    c.executionCtx.waitUntil(work),
  );
  return c.json(user, 201);
};
