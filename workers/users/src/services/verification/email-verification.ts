import { type CallMeta, type NotificationMessage, newEnvelope } from "@shop/contracts";
import { newId, randomToken, sha256Hex } from "@shop/runtime";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { emailVerifications, users } from "../../db/schema";

/** A verification link works for a day, once. */
const EMAIL_VERIFICATION_TTL_MS = 24 * 60 * 60_000;

export type EmailVerification = { tokenHash: string; expiresAt: number; message: NotificationMessage };

/**
 * A fresh single-use token (32 random bytes; only its SHA-256 is stored) and the message that
 * mails it. Chosen over a signed JWT: "single use" needs a row anyway, and a random token
 * carries no claims to leak or keys to rotate. The token travels once through the outbox and
 * the queue to the notifications worker, which puts it in the link.
 */
export async function newEmailVerification(userId: string, meta: CallMeta, now: number): Promise<EmailVerification> {
  const token = randomToken(32);
  const expiresAt = now + EMAIL_VERIFICATION_TTL_MS;
  return {
    tokenHash: await sha256Hex(token),
    expiresAt,
    message: newEnvelope<NotificationMessage>(
      { id: newId("message"), occurredAt: now, traceparent: meta.traceparent },
      {
        type: "user.email_verification",
        userId,
        channels: ["email"],
        data: { token, expiresAt: new Date(expiresAt).toISOString() },
      },
    ),
  };
}

/**
 * The token row, written only if `userId` exists with `email` once the batch's earlier
 * statements have run (so a refused sign-up stores no token), bound to that address.
 */
export function emailVerificationInsert(db: Db, v: EmailVerification, userId: string, email: string, now: number) {
  return emailVerificationInsertWhere(db, v, and(eq(users.id, userId), eq(users.email, email)), now);
}

/** The token row, bound to the account's current address, written only for the account `where` selects. */
export function emailVerificationInsertWhere(db: Db, v: EmailVerification, where: SQL | undefined, now: number) {
  return db.insert(emailVerifications).select(
    db
      .select({
        tokenHash: sql<string>`${v.tokenHash}`.as("token_hash"),
        userId: users.id,
        email: users.email,
        createdAt: sql<number>`${now}`.as("created_at"),
        expiresAt: sql<number>`${v.expiresAt}`.as("expires_at"),
        usedAt: sql<number | null>`NULL`.as("used_at"),
      })
      .from(users)
      .where(where),
  );
}
