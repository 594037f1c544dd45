import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The columns of a recorded dead letter, shared by every worker that records dead messages (each
 * in its own D1, mirrored by a hand-written migration). `dedupe_key` is `<queue>:<message id>`:
 * the dead-letter queue delivers at least once, and a redelivery only bumps `deliveries` and
 * `last_seen_at`. `dead → replayed` happens once (a conditional update). A worker with columns of
 * its own builds its table from these (`sqliteTable("dead_letters", { ...deadLetterColumns(), … })`).
 */
export function deadLetterColumns() {
  return {
    id: text("id").primaryKey(),
    dedupeKey: text("dedupe_key").notNull().unique(),
    queue: text("queue").notNull(),
    messageId: text("message_id"),
    body: text("body").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: ["dead", "replayed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    deliveries: integer("deliveries").notNull().default(1),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    replayedAt: integer("replayed_at"),
    replayedBy: text("replayed_by"),
    replayOutcome: text("replay_outcome"),
  };
}

/** The shared dead-letter table, for workers without columns of their own. */
export const queueDeadLetters = sqliteTable("dead_letters", deadLetterColumns(), (t) => [
  index("dead_letters_status").on(t.status, t.id),
]);

/**
 * What the functions here read and write: the shared table, or a worker's table built from
 * `deadLetterColumns()` with more columns (pass it cast to this type; only the shared columns are
 * read, and the worker's own are written through `extra`).
 */
export type QueueDeadLetterTable = typeof queueDeadLetters;

/** How long a replay's mark without an outcome holds before another replay may take it over. */
export const REPLAY_LEASE_MS = 60_000;

export type QueueDeadLetterRow = typeof queueDeadLetters.$inferSelect;
