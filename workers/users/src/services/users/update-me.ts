import type { UpdateMeBody, User } from "@shop/contracts";
import { callerOf, NotFound } from "@shop/runtime";
import { eq, sql } from "drizzle-orm";
import { phoneVerifications, users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { publicUser } from "./public-user";

/**
 * Changes the caller's own name and/or phone (one D1 write). Only these two columns are ever
 * set here: role, email and verification state cannot be changed by their owner. A new phone
 * number is unverified (SMS stops until it is confirmed) and any pending code for the old one
 * is dropped, in the same batch; sending the same number again keeps its verification.
 */
export async function updateMe(ctx: UsersContext, body: UpdateMeBody): Promise<User> {
  const { db } = ctx;
  const { userId } = callerOf(ctx);
  const at = new Date(ctx.meta.now).toISOString();
  const changes = {
    updatedAt: at,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.phone !== undefined
      ? {
          phone: body.phone,
          phoneVerifiedAt: sql<
            string | null
          >`CASE WHEN ${users.phone} IS ${body.phone} THEN ${users.phoneVerifiedAt} ELSE NULL END`,
        }
      : {}),
  };
  const update = db.update(users).set(changes).where(eq(users.id, userId)).returning();
  const [rows] =
    body.phone !== undefined
      ? await db.batch([
          update,
          db
            .delete(phoneVerifications)
            .where(sql`${phoneVerifications.userId} = ${userId} AND ${phoneVerifications.phone} IS NOT ${body.phone}`),
        ])
      : [await update];
  const row = rows[0];
  if (!row) throw new NotFound("The user");
  return publicUser(row);
}
