import type { CallMeta, NotificationMessage, RegisterBody, User } from "@shop/contracts";
import { conflict, newId } from "@shop/runtime";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { hashPassword } from "../credentials/password";
import { deliver, drainOutbox, outboxInsert } from "../outbox/outbox";
import { normalizeEmail, publicUser } from "./public-user";

/**
 * Creates a customer account (never an admin: the role is not an input) and its
 * `user.registered` message in one D1 batch; the UNIQUE index on the lower-cased email decides
 * duplicates atomically, and a refused account leaves no message. The message then goes to the
 * notifications queue; if the queue refuses it, the outbox keeps it for the cron to resend.
 * `defer` runs work after the response (a successful send also flushes older leftovers).
 */
export async function register(
  db: Db,
  queue: Queue,
  body: RegisterBody,
  meta: CallMeta,
  defer: (work: Promise<unknown>) => void = () => {},
  now = new Date(),
): Promise<User> {
  const at = now.toISOString();
  const id = newId("user");
  const message: NotificationMessage = {
    id: newId("message"),
    type: "user.registered",
    version: 1,
    occurredAt: at,
    ...(meta.traceparent ? { traceparent: meta.traceparent } : {}),
    userId: id,
    data: { name: body.name },
  };
  const [inserted] = await db.batch([
    db
      .insert(users)
      .values({
        id,
        email: normalizeEmail(body.email),
        name: body.name,
        phone: body.phone ?? null,
        role: "customer",
        emailVerified: false,
        passwordHash: await hashPassword(body.password),
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoNothing({ target: users.email })
      .returning(),
    outboxInsert(db, message, now.getTime(), { userId: id }),
  ]);
  const row = inserted[0];
  if (!row) throw conflict("conflict", "An account with this email already exists.");

  // The account exists either way; a message the queue refused must not fail the sign-up.
  if (await deliver(db, queue, [message], now.getTime())) defer(drainOutbox(db, queue, now.getTime()).catch(() => 0));
  return publicUser(row);
}
