import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { User } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { getMe } from "../../services/users/get-user";

export const getMeRoute = createRoute({
  method: "get",
  path: "/users/me",
  tags: ["users"],
  summary: "The signed-in user",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  responses: {
    200: { description: "The caller's account", content: { "application/json": { schema: User } } },
    ...problemResponses(401, 404),
  },
});

export const getMeHandler: RouteHandler<typeof getMeRoute, UsersEnv> = async (c) => {
  return c.json(await getMe(c.var.ctx), 200);
};
