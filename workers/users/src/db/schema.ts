import { outboxTable } from "@shop/runtime/tables";
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    /** When the current email was proven (a verification link used); moves with `emailVerified`. */
    emailVerifiedAt: text("email_verified_at"),
    /** When the current phone was proven by a code; cleared whenever the phone changes. */
    phoneVerifiedAt: text("phone_verified_at"),
    /** Last "someone tried to register with your email" notice (epoch ms): at most one an hour. */
    registrationNoticeAt: integer("registration_notice_at"),
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
 * Sign-in attempts reserved per (account, client) before the password is checked (migration
 * 0002). `account` is the normalized email, whether or not an account exists, so throttling
 * does not reveal which emails are registered; `client` is the caller's IPv4 address or IPv6
 * /64. `next_at` (epoch ms) is when this pair may try again; a success deletes the row.
 */
export const loginClientThrottle = sqliteTable(
  "login_client_throttle",
  {
    account: text("account").notNull(),
    client: text("client").notNull(),
    failures: integer("failures").notNull(),
    nextAt: integer("next_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.account, t.client] }),
    index("login_client_throttle_updated").on(t.updatedAt),
    check("login_client_throttle_failures", sql`${t.failures} >= 0`),
  ],
);

/**
 * The per-account ceiling across all clients: `attempts` reserved in the window that started
 * at `window_start` (epoch ms). `nonce` is the last reserving request's, so the client
 * reservation in the same batch can tell whether this one let it through.
 */
export const loginAccountThrottle = sqliteTable(
  "login_account_throttle",
  {
    account: text("account").primaryKey(),
    windowStart: integer("window_start").notNull(),
    attempts: integer("attempts").notNull(),
    nonce: text("nonce").notNull(),
  },
  (t) => [
    index("login_account_throttle_window").on(t.windowStart),
    check("login_account_throttle_attempts", sql`${t.attempts} >= 0`),
  ],
);

/**
 * Messages for other services, written in the same D1 batch as the change they announce, so
 * a change is never made without its message. A row is deleted once the queue has taken it;
 * rows the queue refused are sent again by the cron (and after a later successful send), with
 * backoff. Consumers de-duplicate by message id, so a repeat after a lost delete is harmless.
 * The runtime's one outbox shape (ADR 0019).
 */
export const outbox = outboxTable();

/**
 * Single-use email verification tokens, stored only as SHA-256 hex, bound to the address they
 * were sent to: a token issued for an earlier address cannot verify the current one.
 */
export const emailVerifications = sqliteTable(
  "email_verifications",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("email_verifications_user").on(t.userId)],
);

/**
 * The one pending phone code per user: salted SHA-256 of the 6 digits, the number it went to,
 * failed attempts (the CHECK caps them at 5), and the send window that limits resends.
 */
export const phoneVerifications = sqliteTable(
  "phone_verifications",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    phone: text("phone").notNull(),
    codeHash: text("code_hash").notNull(),
    salt: text("salt").notNull(),
    expiresAt: integer("expires_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    sentAt: integer("sent_at").notNull(),
    windowStart: integer("window_start").notNull(),
    sends: integer("sends").notNull().default(1),
  },
  (t) => [check("phone_verifications_attempts", sql`${t.attempts} BETWEEN 0 AND 5`)],
);

/**
 * A customer's saved addresses (migration 0004), at most `MAX_ADDRESSES` each (checked in the
 * insert's batch). At most one per user is the default shipping address: the partial UNIQUE
 * index makes the database refuse a second one, whatever the code does.
 */
export const addresses = sqliteTable(
  "addresses",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    line1: text("line1").notNull(),
    line2: text("line2"),
    city: text("city").notNull(),
    region: text("region"),
    postalCode: text("postal_code").notNull(),
    country: text("country").notNull(),
    phone: text("phone"),
    isDefaultShipping: integer("is_default_shipping", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("addresses_user").on(t.userId, t.createdAt),
    uniqueIndex("addresses_one_default_shipping").on(t.userId).where(sql`${t.isDefaultShipping} = 1`),
  ],
);

/** Idempotency-Key claims of `POST /users/me/addresses` (the runtime's one shape, ADR 0018). */
export { idempotencyRecords } from "@shop/runtime/tables";

export type UserRow = typeof users.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;
