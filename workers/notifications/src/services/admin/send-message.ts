import { type AdminSendBody, type NotificationMessage, newEnvelope } from "@shop/contracts";
import { callerOf, NotFound, newId, RateLimited } from "@shop/runtime";
import type { NotificationsContext } from "../../env";
import { hitThrottle } from "../throttles/hit";

/** Ad-hoc sends per admin per minute. */
export const ADMIN_SENDS_PER_MINUTE = 10;

/**
 * Queues an `admin.message` for one user through the chosen channels. Throttled per admin
 * (the caller); an unknown user is refused now rather than becoming a dead letter later. Preferences still apply
 * when it is delivered (it is an optional message).
 */
export async function sendAdminMessage(ctx: NotificationsContext, body: AdminSendBody): Promise<{ messageId: string }> {
  const admin = callerOf(ctx);
  const meta = { requestId: ctx.meta.requestId, traceparent: ctx.meta.traceparent };
  const throttle = await hitThrottle(ctx, {
    key: `admin-send:${admin.userId}`,
    limit: ADMIN_SENDS_PER_MINUTE,
    windowMs: 60_000,
  });
  if (!throttle.allowed) {
    throw new RateLimited(`At most ${ADMIN_SENDS_PER_MINUTE} ad-hoc messages per minute.`, throttle.retryAfterSeconds);
  }
  const contact = await ctx.env.USERS.getContact(body.userId, meta);
  if (!contact) throw new NotFound("The user");
  const message = newEnvelope<NotificationMessage>(
    { id: newId("message"), occurredAt: new Date(), traceparent: meta.traceparent },
    {
      type: "admin.message",
      userId: body.userId,
      channels: body.channels,
      data: { subject: body.subject, body: body.body },
    },
  );
  await ctx.env.NOTIFICATIONS.send(message, { contentType: "json" });
  return { messageId: message.id };
}
