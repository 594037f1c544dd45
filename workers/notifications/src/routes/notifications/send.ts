import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminSendAccepted, AdminSendBody } from "@shop/contracts";
import { problemResponses, rateLimit } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import type { NotificationsEnv } from "../../env";
import { SEND_LIMITS } from "../../rate-limits";
import { sendAdminMessage } from "../../services/admin/send-message";

export const sendNotificationRoute = createRoute({
  method: "post",
  path: "/notifications/send",
  tags: ["notifications"],
  summary: "Send an ad-hoc message to a user through chosen channels (admin, throttled)",
  security: [{ bearer: [] }],
  middleware: [requireUser, requireAdmin, rateLimit(SEND_LIMITS)] as const,
  request: { body: { required: true, content: { "application/json": { schema: AdminSendBody } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: AdminSendAccepted } } },
    ...problemResponses(400, 401, 403, 404, 429, 503),
  },
});

export const sendNotificationHandler: RouteHandler<typeof sendNotificationRoute, NotificationsEnv> = async (c) => {
  const { messageId } = await sendAdminMessage(c.var.ctx, c.req.valid("json"));
  return c.json({ messageId, status: "queued" as const }, 202);
};
