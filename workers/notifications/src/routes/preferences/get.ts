import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { Preferences } from "@shop/contracts";
import { problemResponses } from "@shop/runtime";
import { requireUser } from "../../auth";
import type { NotificationsEnv } from "../../env";
import { getPreferences } from "../../services/preferences/get";

export const getPreferencesRoute = createRoute({
  method: "get",
  path: "/notifications/preferences",
  tags: ["notifications"],
  summary: "My notification preferences",
  security: [{ bearer: [] }],
  middleware: [requireUser] as const,
  responses: {
    200: { description: "Preferences", content: { "application/json": { schema: Preferences } } },
    ...problemResponses(401),
  },
});

export const getPreferencesHandler: RouteHandler<typeof getPreferencesRoute, NotificationsEnv> = async (c) => {
  return c.json(await getPreferences(c.var.ctx), 200);
};
