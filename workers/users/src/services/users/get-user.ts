import type { User } from "@shop/contracts";
import { notFound } from "@shop/runtime";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { publicUser } from "./public-user";

/** One user by id (one D1 read); 404 when there is none. Callers decide who may ask. */
export async function getUser(db: Db, id: string): Promise<User> {
  const row = await db.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw notFound("The user");
  return publicUser(row);
}
