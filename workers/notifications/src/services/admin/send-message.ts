import {
  type AdminSendBody,
  type CallMeta,
  type NotificationMessage,
  newEnvelope,
  type UsersRpc,
} from "@shop/contracts";
import { AppError, newId, notFound } from "@shop/runtime";
import type { Database } from "../../db/client";
import { hitThrottle } from "../throttles/hit";

/** Ad-hoc sends per admin per minute. */
export const ADMIN_SENDS_PER_MINUTE = 10;

/**
 * Queues an `admin.message` for one user through the chosen channels. Throttled per admin;
 * an unknown user is a 404 now rather than a dead letter later. Preferences still apply
 * when it is delivered (it is an optional message).
 */
export async function sendAdminMessage(
  deps: { db: Database; users: UsersRpc; queue: Queue },
  adminId: string,
  body: AdminSendBody,
  meta: CallMeta,
): Promise<{ messageId: string }> {
  const throttle = await hitThrottle(deps.db, `admin-send:${adminId}`, ADMIN_SENDS_PER_MINUTE, 60_000);
  if (!throttle.allowed) {
    throw new AppError(
      429,
      "rate_limited",
      `At most ${ADMIN_SENDS_PER_MINUTE} ad-hoc messages per minute.`,
      undefined,
      { "retry-after": String(throttle.retryAfterSeconds) },
    );
  }
  const contact = await deps.users.getContact(body.userId, meta);
  if (!contact) throw notFound("The user");
  const message = newEnvelope<NotificationMessage>(
    { id: newId("message"), occurredAt: new Date(), traceparent: meta.traceparent },
    {
      type: "admin.message",
      userId: body.userId,
      channels: body.channels,
      data: { subject: body.subject, body: body.body },
    },
  );
  await deps.queue.send(message, { contentType: "json" });
  return { messageId: message.id };
}
