import { Conflict, callerOf, NotFound, RateLimited } from "@shop/runtime";
import { and, eq, gt, sql } from "drizzle-orm";
import { emailVerifications, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { notificationsOutbox } from "../outbox/outbox";
import { emailVerificationInsertWhere, newEmailVerification } from "./email-verification";

/** New links: one a minute, five an hour per account (each is a mail to the address). */
const EMAIL_LINK_RESEND_MS = 60_000;
const EMAIL_LINK_WINDOW_MS = 60 * 60_000;
const EMAIL_LINKS_PER_WINDOW = 5;

/**
 * Mails a new verification link to the caller's current address (earlier links keep working
 * until they expire). One D1 batch: the token row, inserted only if the account is unverified
 * and under the resend limits (counted from the token rows themselves), and its message, only
 * if that row was written. Already verified → Conflict; over the limits → RateLimited.
 */
export async function resendEmailVerification(ctx: UsersContext) {
  const { db, meta } = ctx;
  const { userId } = callerOf(ctx);
  const now = meta.now;
  const user = await db
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) throw new NotFound("The user");
  if (user.verifiedAt) throw new Conflict("conflict", "This email address is already verified.");

  const v = await newEmailVerification(userId, meta, now);
  const recent = (since: number) =>
    sql`(SELECT count(*) FROM ${emailVerifications} WHERE ${emailVerifications.userId} = ${userId} AND ${emailVerifications.createdAt} > ${since})`;
  const [inserted, queued] = await db.batch([
    emailVerificationInsertWhere(
      db,
      v,
      and(
        eq(users.id, userId),
        sql`${users.emailVerifiedAt} IS NULL`,
        sql`${recent(now - EMAIL_LINK_RESEND_MS)} = 0`,
        sql`${recent(now - EMAIL_LINK_WINDOW_MS)} < ${EMAIL_LINKS_PER_WINDOW}`,
      ),
      now,
    ).returning({ tokenHash: emailVerifications.tokenHash }),
    notificationsOutbox
      .insertFrom(db, v.message, now, {
        from: users,
        where: and(
          eq(users.id, userId),
          sql`EXISTS (SELECT 1 FROM ${emailVerifications} WHERE ${emailVerifications.tokenHash} = ${v.tokenHash})`,
        ),
      })
      .returning(notificationsOutbox.returned),
  ]);
  if (inserted.length === 0) {
    const last = await db
      .select({ at: sql<number>`max(${emailVerifications.createdAt})` })
      .from(emailVerifications)
      .where(and(eq(emailVerifications.userId, userId), gt(emailVerifications.createdAt, now - EMAIL_LINK_WINDOW_MS)))
      .get();
    const lastAt = last?.at ?? now;
    const wait = lastAt + EMAIL_LINK_RESEND_MS > now ? lastAt + EMAIL_LINK_RESEND_MS - now : EMAIL_LINK_WINDOW_MS / 4;
    throw new RateLimited("A link was sent recently; check your inbox or wait.", Math.max(1, Math.ceil(wait / 1000)));
  }
  await notificationsOutbox.send(db, ctx.env.NOTIFICATIONS, queued, now);
  return { status: "link_sent" as const };
}
