import type { ListUsersQuery, UserPage } from "@shop/contracts";
import { beforeIdCursor, keysetPage } from "@shop/runtime";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { users } from "../../db/schema";
import type { UsersContext } from "../../env";
import { normalizeEmail, publicUser } from "./public-user";

/** Newest first, keyset on the (time-sortable, unique) id: stable pages, one D1 read each. */
export async function listUsers(ctx: UsersContext, query: ListUsersQuery): Promise<UserPage> {
  const where: (SQL | undefined)[] = [beforeIdCursor(users.id, query.cursor)];
  if (query.email) where.push(eq(users.email, normalizeEmail(query.email)));
  const rows = await ctx.db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(desc(users.id))
    .limit(query.limit + 1);
  const { rows: page, nextCursor } = keysetPage(rows, query.limit, (r) => [r.id]);
  return { items: page.map(publicUser), nextCursor };
}
