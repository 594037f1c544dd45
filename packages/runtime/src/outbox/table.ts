import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The columns of an outbox table, the same in a worker's D1 and in a Durable Object's SQLite
 * (see `OutboxRecord` in ./core for what they mean).
 */
export function outboxColumns() {
  return {
    id: text("id").primaryKey(),
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAt: integer("next_at").notNull(),
  };
}

/**
 * An outbox table for a worker's or object's drizzle schema (`export const outbox = outboxTable()`),
 * indexed on when rows are due. Its migration (hand-written, as every one here) is
 * `outboxTableSql(name)`.
 */
export function outboxTable(name = "outbox") {
  return sqliteTable(name, outboxColumns(), (t) => [index(`${name}_next`).on(t.nextAt)]);
}

export type OutboxTable = ReturnType<typeof outboxTable>;

/** The DDL of `outboxTable(name)` (a Durable Object creates its tables itself on first use). */
export function outboxTableSql(name = "outbox"): string {
  return `CREATE TABLE IF NOT EXISTS "${name}" ("id" text PRIMARY KEY NOT NULL, "payload" text NOT NULL,
  "created_at" integer NOT NULL, "attempts" integer DEFAULT 0 NOT NULL, "next_at" integer NOT NULL);
CREATE INDEX IF NOT EXISTS "${name}_next" ON "${name}" ("next_at");`;
}
