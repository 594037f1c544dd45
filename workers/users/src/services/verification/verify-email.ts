import { type NotificationMessage, newEnvelope } from "@shop/contracts";
import { newId, sha256Hex } from "@shop/runtime";
import { and, eq, exists, gt, isNull, sql } from "drizzle-orm";
import { emailVerifications, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { notificationsOutbox } from "../outbox/outbox";
import { refused } from "./refused";

/**
 * Uses a verification token: one D1 batch marks the token used (only if unused and unexpired),
 * queues the welcome message (only on the address's first verification) and marks the address
 * verified (only if it is still the address the token was sent to). Using a token that already
 * verified its address again answers the same (a double click is not an error); anything else
 * is a 400 naming `token`, whatever the reason (unknown, expired, used for another address).
 */
export async function verifyEmail(ctx: UsersContext, { token }: { token: string }): Promise<void> {
  const { db, meta } = ctx;
  const now = meta.now;
  const tokenHash = await sha256Hex(token);
  const at = new Date(now).toISOString();
  // The welcome message, completed in SQL with the account's id and name.
  const welcome = newEnvelope<NotificationMessage>(
    { id: newId("message"), occurredAt: at, traceparent: meta.traceparent },
    { type: "user.registered", userId: "", data: { name: "" } },
  );
  const usedNow = and(
    eq(emailVerifications.tokenHash, tokenHash),
    eq(emailVerifications.usedAt, now),
    eq(emailVerifications.userId, users.id),
    eq(emailVerifications.email, users.email),
  );
  const [used, queued] = await db.batch([
    db
      .update(emailVerifications)
      .set({ usedAt: now })
      .where(
        and(
          eq(emailVerifications.tokenHash, tokenHash),
          isNull(emailVerifications.usedAt),
          gt(emailVerifications.expiresAt, now),
          // Only while the address it was sent to is still the account's.
          exists(
            db
              .select()
              .from(users)
              .where(and(eq(users.id, emailVerifications.userId), eq(users.email, emailVerifications.email))),
          ),
        ),
      )
      .returning({ userId: emailVerifications.userId }),
    notificationsOutbox
      .insertFrom(db, welcome, now, {
        from: users,
        where: and(isNull(users.emailVerifiedAt), exists(db.select().from(emailVerifications).where(usedNow))),
        fill: { "$.userId": users.id, "$.data.name": users.name },
      })
      .returning(notificationsOutbox.returned),
    db
      .update(users)
      .set({ emailVerified: true, emailVerifiedAt: at, updatedAt: at })
      .where(and(isNull(users.emailVerifiedAt), exists(db.select().from(emailVerifications).where(usedNow)))),
  ]);
  if (used.length === 0) {
    const earlier = await db
      .select({ usedAt: emailVerifications.usedAt })
      .from(emailVerifications)
      .innerJoin(users, and(eq(users.id, emailVerifications.userId), eq(users.email, emailVerifications.email)))
      .where(and(eq(emailVerifications.tokenHash, tokenHash), sql`${users.emailVerifiedAt} IS NOT NULL`))
      .get();
    if (earlier?.usedAt != null) return;
    throw refused("This verification link is not valid or has expired; sign in to get a new one.", [
      { path: "token", message: "is not valid or has expired" },
    ]);
  }
  if (queued.length) ctx.defer(notificationsOutbox.send(db, ctx.env.NOTIFICATIONS, queued, now));
}
