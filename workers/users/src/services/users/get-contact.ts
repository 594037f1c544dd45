import type { Contact } from "@shop/contracts";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";

/** Contact details for notifications; null when the user does not exist. One D1 read. */
export async function getContact(db: Db, userId: string): Promise<Contact | null> {
  const row = await db
    .select({ userId: users.id, email: users.email, name: users.name, phone: users.phone })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  return row ?? null;
}
