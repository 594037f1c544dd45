import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The one shape of an Idempotency-Key record, shared by every worker with idempotent routes
 * (each in its own D1, created by a hand-written migration: orders 0004, payments 0005, users 0004).
 * `(scope, key)` is the primary key, so among concurrent claims exactly one insert wins.
 * `outcome` is the JSON of an {@link IdempotentOutcome} once `state` is `done`. Times are epoch
 * ms: `created_at` is the first claim (the 24 h TTL counts from it), `claimed_at` is the lease
 * token of an `in_flight` claim (a takeover moves it; the holder finishes only its own).
 */
export const idempotencyRecords = sqliteTable(
  "idempotency_records",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    state: text("state", { enum: ["in_flight", "done"] }).notNull(),
    outcome: text("outcome"),
    createdAt: integer("created_at").notNull(),
    claimedAt: integer("claimed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_records_created_idx").on(t.createdAt)],
);

export type IdempotencyRecord = typeof idempotencyRecords.$inferSelect;
