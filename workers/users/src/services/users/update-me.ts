import type { UpdateMeBody, User } from "@shop/contracts";
import { notFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { publicUser } from "./public-user";

/**
 * Changes the caller's own name and/or phone (one D1 write). Only these two columns are ever
 * set here: role, email and verification state cannot be changed by their owner.
 */
export async function updateMe(db: Db, userId: string, body: UpdateMeBody, now = new Date()): Promise<User> {
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: now.toISOString() };
  if (body.name !== undefined) changes.name = body.name;
  if (body.phone !== undefined) changes.phone = body.phone;
  const [row] = await db.update(users).set(changes).where(eq(users.id, userId)).returning();
  if (!row) throw notFound("The user");
  return publicUser(row);
}
