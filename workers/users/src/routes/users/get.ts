import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { User, UserIdParams } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { getUser } from "../../services/users/get-user";

export const getUserRoute = createRoute({
  method: "get",
  path: "/users/{id}",
  tags: ["users"],
  summary: "One user (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { params: UserIdParams },
  responses: {
    200: { description: "The account", content: { "application/json": { schema: User } } },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const getUserHandler: RouteHandler<typeof getUserRoute, UsersEnv> = async (c) => {
  return c.json(await getUser(c.var.ctx, c.req.valid("param")), 200);
};
