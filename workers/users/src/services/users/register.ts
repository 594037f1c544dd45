import type { CallMeta, NotificationMessage, RegisterBody, User } from "@shop/contracts";
import { conflict, log, newId } from "@shop/runtime";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { hashPassword } from "../credentials/password";
import { normalizeEmail, publicUser } from "./public-user";

/**
 * Creates a customer account (never an admin: the role is not an input) in one D1 write;
 * the UNIQUE index on the lower-cased email decides duplicates atomically. Then announces
 * `user.registered` on the notifications queue.
 */
export async function register(
  db: Db,
  queue: Queue,
  body: RegisterBody,
  meta: CallMeta,
  now = new Date(),
): Promise<User> {
  const at = now.toISOString();
  const [row] = await db
    .insert(users)
    .values({
      id: newId("user"),
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
    .returning();
  if (!row) throw conflict("conflict", "An account with this email already exists.");

  const message: NotificationMessage = {
    id: newId("message"),
    type: "user.registered",
    version: 1,
    occurredAt: at,
    ...(meta.traceparent ? { traceparent: meta.traceparent } : {}),
    userId: row.id,
    data: { name: row.name },
  };
  try {
    await queue.send(message, { contentType: "json" });
  } catch (error) {
    // The account exists either way; a lost welcome message must not turn into a failed sign-up.
    log("error", {
      worker: "users",
      requestId: meta.requestId,
      msg: "user.registered not queued",
      error: String(error),
    });
  }
  return publicUser(row);
}
