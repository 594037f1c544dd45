import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Accounts. `email` is stored lower-cased (the CHECK makes the database refuse anything else),
 * so the UNIQUE index is case-insensitive uniqueness. `password_hash` is a versioned string
 * (`pbkdf2-sha256$<iterations>$<salt>$<hash>`) and never leaves this worker.
 */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    phone: text("phone"),
    role: text("role", { enum: ["customer", "admin"] })
      .notNull()
      .default("customer"),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    passwordHash: text("password_hash").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    check("users_email_lower", sql`${t.email} = lower(${t.email})`),
    check("users_role", sql`${t.role} IN ('customer', 'admin')`),
  ],
);

/**
 * Refresh tokens, stored only as SHA-256 hex of the opaque token. A login starts a family;
 * each refresh marks the presented token `replaced_by` its successor. Presenting a token that
 * already has a successor (or is revoked) revokes every token of its family.
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    replacedBy: text("replaced_by"),
    rotatedAt: integer("rotated_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("refresh_tokens_family").on(t.familyId), index("refresh_tokens_user").on(t.userId)],
);

/**
 * Failed sign-in attempts per account key (the normalized email, whether or not an account
 * exists, so throttling does not reveal which emails are registered). Times in epoch ms.
 */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    failedAt: integer("failed_at").notNull(),
  },
  (t) => [index("login_failures_email_time").on(t.email, t.failedAt)],
);

/**
 * Messages for other services, written in the same D1 batch as the change they announce, so
 * a change is never made without its message. A row is deleted once the queue has taken it;
 * rows the queue refused are sent again by the cron (and after a later successful send), with
 * backoff. Consumers de-duplicate by message id, so a repeat after a lost delete is harmless.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAt: integer("next_at").notNull(),
  },
  (t) => [index("outbox_next").on(t.nextAt)],
);

export type UserRow = typeof users.$inferSelect;
