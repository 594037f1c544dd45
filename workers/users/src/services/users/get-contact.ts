import type { Contact } from "@shop/contracts";
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import type { UsersContext } from "../../env";

/**
 * Contact details for notifications, with whether each contact was proven (notifications sends
 * SMS only to a verified phone and most email only to a verified address); null when the user
 * does not exist. One D1 read.
 */
export async function getContact(ctx: UsersContext, { userId }: { userId: string }): Promise<Contact | null> {
  const row = await ctx.db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      phone: users.phone,
      emailVerifiedAt: users.emailVerifiedAt,
      phoneVerifiedAt: users.phoneVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  const { emailVerifiedAt, phoneVerifiedAt, ...contact } = row;
  return {
    ...contact,
    emailVerified: emailVerifiedAt !== null,
    phoneVerified: phoneVerifiedAt !== null && !!row.phone,
  };
}
