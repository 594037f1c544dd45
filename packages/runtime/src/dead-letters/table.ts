import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The one shape of a recorded dead letter, shared by every worker that consumes a dead-letter
 * queue (each in its own D1, mirrored by a hand-written migration). `dedupe_key` is
 * `<queue>:<message id>`: the dead-letter queue delivers at least once, and a redelivery only
 * bumps `deliveries` and `last_seen_at`. `dead → replayed` happens once (a conditional update).
 */
export const queueDeadLetters = sqliteTable(
  "dead_letters",
  {
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
  },
  (t) => [index("dead_letters_status").on(t.status, t.id)],
);

/** How long a replay's mark without an outcome holds before another replay may take it over. */
export const REPLAY_LEASE_MS = 60_000;

export type QueueDeadLetterRow = typeof queueDeadLetters.$inferSelect;
