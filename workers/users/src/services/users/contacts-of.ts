import { type CustomerName, MAX_CONTACTS_PER_CALL, UserId } from "@shop/contracts";
import { inArray } from "drizzle-orm";
import { users } from "../../db/schema";
import type { UsersContext } from "../../env";

/**
 * Name and email of each known user among `userIds`, for staff listings (the admin order list):
 * nothing else about them. Unknown and malformed ids are left out; repeated ids count once.
 * One D1 read; more than MAX_CONTACTS_PER_CALL ids is a RangeError (the caller pages).
 */
export async function contactsOf(ctx: UsersContext, { userIds }: { userIds: unknown }): Promise<CustomerName[]> {
  if (!Array.isArray(userIds)) throw new TypeError("userIds must be an array of user ids");
  if (userIds.length > MAX_CONTACTS_PER_CALL) {
    throw new RangeError(`at most ${MAX_CONTACTS_PER_CALL} user ids per call, got ${userIds.length}`);
  }
  const ids = [...new Set(userIds.filter((id): id is string => UserId.safeParse(id).success))];
  if (ids.length === 0) return [];
  return ctx.db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, ids))
    .all();
}
