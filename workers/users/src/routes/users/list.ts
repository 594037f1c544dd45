import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { ListUsersQuery, UserPage } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { listUsers } from "../../services/users/list-users";

export const listUsersRoute = createRoute({
  method: "get",
  path: "/users",
  tags: ["users"],
  summary: "All users, newest first (admin)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin] as const,
  request: { query: ListUsersQuery },
  responses: {
    200: { description: "A page of users", content: { "application/json": { schema: UserPage } } },
    ...problemResponses(400, 401, 403),
  },
});

export const listUsersHandler: RouteHandler<typeof listUsersRoute, UsersEnv> = async (c) => {
  return c.json(await listUsers(c.var.ctx, c.req.valid("query")), 200);
};
