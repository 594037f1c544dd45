import type { User } from "@shop/contracts";
import type { UserRow } from "../../db/schema";

/** The only shape of a user that leaves this worker: never the password hash. */
export function publicUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    emailVerified: row.emailVerified,
    phoneVerified: row.phoneVerifiedAt !== null && row.phone !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Emails are compared and stored lower-cased: one account per address whatever its case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
