import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { UpdateMeBody, User } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { UsersEnv } from "../../env";
import { updateMe } from "../../services/users/update-me";

export const updateMeRoute = createRoute({
  method: "patch",
  path: "/users/me",
  tags: ["users"],
  summary: "Change your own name or phone (role, email and verification are not changeable here)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { body: { required: true, content: { "application/json": { schema: UpdateMeBody } } } },
  responses: {
    200: { description: "The updated account", content: { "application/json": { schema: User } } },
    ...problemResponses(400, 401, 404, 413, 415),
  },
});

export const updateMeHandler: RouteHandler<typeof updateMeRoute, UsersEnv> = async (c) => {
  return c.json(await updateMe(c.var.ctx, c.req.valid("json")), 200);
};
