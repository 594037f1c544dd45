import type { ListUsersQuery, UserPage } from "@shop/contracts";
import { AppError, decodeCursor, encodeCursor } from "@shop/runtime";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { normalizeEmail, publicUser } from "./public-user";

/** Newest first, keyset on the (time-sortable, unique) id: stable pages, one D1 read each. */
export async function listUsers(db: Db, query: ListUsersQuery): Promise<UserPage> {
  const where: SQL[] = [];
  if (query.email) where.push(eq(users.email, normalizeEmail(query.email)));
  if (query.cursor) {
    const [after] = decodeCursor(query.cursor);
    if (typeof after !== "string") {
      throw new AppError(400, "validation_failed", "Invalid query: cursor", [
        { path: "cursor", message: "is not a cursor this API returned" },
      ]);
    }
    where.push(lt(users.id, after));
  }
  const rows = await db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(desc(users.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(publicUser),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
  };
}
