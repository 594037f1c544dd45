import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Preferences, UpdatePreferencesBody } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { NotificationsEnv } from "../../env";
import { updatePreferences } from "../../services/preferences/update";

export const updatePreferencesRoute = createRoute({
  method: "put",
  path: "/notifications/preferences",
  tags: ["notifications"],
  summary: "Turn optional email and SMS on or off (transactional email cannot be turned off)",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  request: { body: { required: true, content: { "application/json": { schema: UpdatePreferencesBody } } } },
  responses: {
    200: { description: "The preferences now", content: { "application/json": { schema: Preferences } } },
    ...problemResponses(400, 401),
  },
});

export const updatePreferencesHandler: RouteHandler<typeof updatePreferencesRoute, NotificationsEnv> = async (c) => {
  return c.json(await updatePreferences(c.var.ctx, c.req.valid("json")), 200);
};
