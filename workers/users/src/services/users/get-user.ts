import type { User } from "@shop/contracts";
import { callerOf, NotFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { publicUser } from "./public-user";

/** One user by id (one D1 read); NotFound when there is none. Routes decide who may ask. */
export async function getUser(ctx: UsersContext, input: { id: string }): Promise<User> {
  const row = await ctx.db.select().from(users).where(eq(users.id, input.id)).get();
  if (!row) throw new NotFound("The user");
  return publicUser(row);
}

/** The caller's own account. */
export function getMe(ctx: UsersContext): Promise<User> {
  return getUser(ctx, { id: callerOf(ctx).userId });
}
