import { deadLetterColumns } from "@shop/runtime/tables";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One row per (queue message id, channel): the claim that makes sending at-most-once.
 * A row is inserted as `pending` before the provider is called; `sent` and non-retryable
 * `failed` are final. A `failed` row with `retryable = 1`, or a `pending` row whose claim is
 * stale (the sender crashed mid-send), may be claimed again.
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id").notNull(),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    userId: text("user_id").notNull(),
    type: text("type").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull(),
    retryable: integer("retryable", { mode: "boolean" }).notNull().default(false),
    recipient: text("recipient").notNull(),
    subject: text("subject"),
    attempts: integer("attempts").notNull().default(1),
    providerId: text("provider_id"),
    error: text("error"),
    claimedAt: integer("claimed_at").notNull(),
    sentAt: integer("sent_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("deliveries_message_channel").on(t.messageId, t.channel),
    index("deliveries_user").on(t.userId, t.id),
    index("deliveries_recipient").on(t.recipient),
  ],
);

/** Per-user choices. A missing row means the defaults (everything on). */
export const preferences = sqliteTable("preferences", {
  userId: text("user_id").primaryKey(),
  emailOptional: integer("email_optional", { mode: "boolean" }).notNull().default(true),
  sms: integer("sms", { mode: "boolean" }).notNull().default(true),
  updatedAt: integer("updated_at").notNull(),
});

/** Addresses a delivery-failure report came back for: email to them stops (SMS continues). */
export const undeliverableAddresses = sqliteTable("undeliverable_addresses", {
  address: text("address").primaryKey(),
  userId: text("user_id").notNull(),
  reason: text("reason").notNull(),
  markedAt: integer("marked_at").notNull(),
});

/**
 * Messages that could not be delivered: malformed ones (never valid), ones for an unknown user,
 * and ones the dead-letter queue handed over after max_retries. The runtime's shared dead-letter
 * columns (ADR 0019; `dedupe_key` makes recording idempotent) plus this worker's own.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    ...deadLetterColumns(),
    source: text("source", { enum: ["malformed", "unknown_user", "dead_letter_queue"] }).notNull(),
    userId: text("user_id"),
    type: text("type"),
    /** Before migration 0002 (now `deliveries`, `first_seen_at`, `last_seen_at`); a later release drops them. */
    deaths: integer("deaths").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("dead_letters_status").on(t.status, t.id)],
);

/** Fixed-window counters for throttles, e.g. admin ad-hoc sends per admin per minute. */
export const throttles = sqliteTable("throttles", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

/**
 * One row per SMS admitted to the provider (keyed by its delivery, so a retried delivery is
 * counted once). The caps count these rows per number and per country calling code over a
 * sliding hour, inside the single statement that admits the send.
 */
export const smsSends = sqliteTable(
  "sms_sends",
  {
    deliveryId: text("delivery_id").primaryKey(),
    recipient: text("recipient").notNull(),
    countryCode: text("country_code").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [
    index("sms_sends_recipient_time").on(t.recipient, t.sentAt),
    index("sms_sends_country_time").on(t.countryCode, t.sentAt),
    index("sms_sends_time").on(t.sentAt),
  ],
);
