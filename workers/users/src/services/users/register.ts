import { type NotificationMessage, newEnvelope, type RegisterAccepted, type RegisterBody } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { and, eq, isNull, lt, ne, or } from "drizzle-orm";
import { users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { hashPassword } from "../credentials/password";
import { notificationsOutbox } from "../outbox/outbox";
import { emailVerificationInsert, newEmailVerification } from "../verification/email-verification";
import { normalizeEmail } from "./public-user";

/** The owner of a registered address hears about attempts to register it at most this often. */
const REGISTRATION_NOTICE_INTERVAL_MS = 60 * 60_000;

/**
 * Registers a customer (never an admin: the role is not an input) without telling the caller
 * whether the email already had an account: both cases hash the password, run the same single
 * D1 batch and answer the same `{ status: "pending_verification" }`. What differs goes to the
 * address, which only its owner reads: a new account gets a verification link; an address
 * already registered gets "someone tried to register with your email" (at most once an hour).
 * The UNIQUE index on the lower-cased email decides which case this is, atomically.
 * A successful send also flushes older leftovers, after the response (`ctx.defer`).
 */
export async function register(ctx: UsersContext, body: RegisterBody): Promise<RegisterAccepted> {
  const { db, meta } = ctx;
  const queue = ctx.env.NOTIFICATIONS;
  const ms = meta.now;
  const at = new Date(ms).toISOString();
  const id = newId("user");
  const email = normalizeEmail(body.email);
  const verification = await newEmailVerification(id, meta, ms);
  // For an existing account: completed in SQL with that account's id (never read by this code).
  const attempt = newEnvelope<NotificationMessage>(
    { id: newId("message"), occurredAt: at, traceparent: meta.traceparent },
    { type: "user.registration_attempt", userId: "", channels: ["email"], data: {} },
  );
  const otherOwnerDue = and(
    eq(users.email, email),
    ne(users.id, id),
    or(isNull(users.registrationNoticeAt), lt(users.registrationNoticeAt, ms - REGISTRATION_NOTICE_INTERVAL_MS)),
  );
  const [, , verifyQueued, attemptQueued] = await db.batch([
    db
      .insert(users)
      .values({
        id,
        email,
        name: body.name,
        phone: body.phone ?? null,
        role: "customer",
        emailVerified: false,
        passwordHash: await hashPassword(body.password),
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoNothing({ target: users.email }),
    emailVerificationInsert(db, verification, id, email, ms),
    notificationsOutbox
      .insertFrom(db, verification.message, ms, { from: users, where: eq(users.id, id) })
      .returning(notificationsOutbox.returned),
    notificationsOutbox
      .insertFrom(db, attempt, ms, { from: users, where: otherOwnerDue, fill: { "$.userId": users.id } })
      .returning(notificationsOutbox.returned),
    db.update(users).set({ registrationNoticeAt: ms }).where(otherOwnerDue),
  ]);

  // The account exists either way; a message the queue refused must not fail the sign-up.
  if (await notificationsOutbox.send(db, queue, [...verifyQueued, ...attemptQueued], ms)) {
    ctx.defer(notificationsOutbox.drain(db, queue, ms).catch(() => 0));
  }
  return { status: "pending_verification" };
}
