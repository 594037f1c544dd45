import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { AdminSendAccepted, AdminSendBody } from "@shop/contracts";
import { callMeta, principalOf, problemResponses, rateLimit } from "@shop/runtime";
import { requireAdmin, requireUser } from "../../auth";
import { database } from "../../db/client";
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
  const admin = principalOf(c);
  const { messageId } = await sendAdminMessage(
    { db: database(c.env.DB), users: c.env.USERS, queue: c.env.NOTIFICATIONS },
    admin.userId,
    c.req.valid("json"),
    callMeta(c as never),
  );
  return c.json({ messageId, status: "queued" as const }, 202);
};
