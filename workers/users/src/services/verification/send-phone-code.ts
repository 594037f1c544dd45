import { type NotificationMessage, newEnvelope, type PhoneCodeSent } from "@shop/contracts";
import { Conflict, callerOf, NotFound, newId, RateLimited, randomToken } from "@shop/runtime";
import { and, eq, exists, lte, or, sql } from "drizzle-orm";
import { phoneVerifications, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { notificationsOutbox } from "../outbox/outbox";
import {
  newPhoneCode,
  PHONE_CODE_RESEND_MS,
  PHONE_CODE_SENDS_PER_WINDOW,
  PHONE_CODE_TTL_MS,
  PHONE_CODE_WINDOW_MS,
  phoneCodeHash,
} from "./phone-code";

/**
 * Sends a new 6-digit code by SMS to the caller's (unverified) phone. One D1 batch: an upsert
 * that replaces any earlier code (attempts back to 0) only if the resend limits allow it, and
 * the `user.phone_code` message, written only if that upsert won and the number is still the
 * account's. Refused by the limits → RateLimited; no phone or already verified → Conflict.
 */
export async function sendPhoneCode(ctx: UsersContext) {
  const { db, meta } = ctx;
  const { userId } = callerOf(ctx);
  const now = meta.now;
  const user = await db
    .select({ phone: users.phone, phoneVerifiedAt: users.phoneVerifiedAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) throw new NotFound("The user");
  if (!user.phone)
    throw new Conflict("conflict", "Add a phone number to your account first.", [
      { path: "phone", message: "is not set" },
    ]);
  if (user.phoneVerifiedAt) throw new Conflict("conflict", "This phone number is already verified.");

  const code = newPhoneCode();
  const salt = randomToken(16);
  const codeHash = await phoneCodeHash(salt, code);
  const expiresAt = now + PHONE_CODE_TTL_MS;
  const message = newEnvelope<NotificationMessage>(
    { id: newId("message"), occurredAt: now, traceparent: meta.traceparent },
    {
      type: "user.phone_code",
      userId,
      channels: ["sms"],
      data: { code, phone: user.phone, expiresAt: new Date(expiresAt).toISOString() },
    },
  );
  // The new code, whether the row is new or replaces the last one (its attempts start over).
  const freshCode = { phone: user.phone, codeHash, salt, expiresAt, attempts: 0, sentAt: now };
  const windowOver = lte(phoneVerifications.windowStart, now - PHONE_CODE_WINDOW_MS);
  const [stored, queued] = await db.batch([
    db
      .insert(phoneVerifications)
      .values({ userId, ...freshCode, windowStart: now, sends: 1 })
      .onConflictDoUpdate({
        target: phoneVerifications.userId,
        set: {
          ...freshCode,
          windowStart: sql`CASE WHEN ${windowOver} THEN ${now} ELSE ${phoneVerifications.windowStart} END`,
          sends: sql`CASE WHEN ${windowOver} THEN 1 ELSE ${phoneVerifications.sends} + 1 END`,
        },
        setWhere: and(
          lte(phoneVerifications.sentAt, now - PHONE_CODE_RESEND_MS),
          or(windowOver, sql`${phoneVerifications.sends} < ${PHONE_CODE_SENDS_PER_WINDOW}`),
        ),
      })
      .returning({ codeHash: phoneVerifications.codeHash }),
    notificationsOutbox
      .insertFrom(db, message, now, {
        from: users,
        where: and(
          eq(users.id, userId),
          eq(users.phone, user.phone),
          exists(
            db
              .select()
              .from(phoneVerifications)
              .where(and(eq(phoneVerifications.userId, userId), eq(phoneVerifications.codeHash, codeHash))),
          ),
        ),
      })
      .returning(notificationsOutbox.returned),
  ]);
  if (stored.length === 0 || queued.length === 0) {
    const row = await db
      .select({ sentAt: phoneVerifications.sentAt, windowStart: phoneVerifications.windowStart })
      .from(phoneVerifications)
      .where(eq(phoneVerifications.userId, userId))
      .get();
    const until = row ? Math.max(row.sentAt + PHONE_CODE_RESEND_MS, row.windowStart + PHONE_CODE_WINDOW_MS) : now;
    const next = row && row.sentAt + PHONE_CODE_RESEND_MS > now ? row.sentAt + PHONE_CODE_RESEND_MS : until;
    const seconds = Math.max(1, Math.ceil((next - now) / 1000));
    throw new RateLimited("A code was sent recently; wait before asking for another.", seconds);
  }
  await notificationsOutbox.send(db, ctx.env.NOTIFICATIONS, queued, now);
  return { status: "code_sent", expiresAt: new Date(expiresAt).toISOString() } satisfies PhoneCodeSent;
}
