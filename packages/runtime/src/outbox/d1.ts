import { asc, eq, inArray, lte, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  drainOutboxStore,
  newOutboxRecord,
  type OutboxPolicy,
  type OutboxRow,
  type OutboxStore,
  sendOutboxRows,
} from "./core";
import type { OutboxTable } from "./table";

// biome-ignore lint/suspicious/noExplicitAny: any worker's drizzle D1 database, whatever its schema.
type Db = DrizzleD1Database<any>;

/**
 * The outbox in a worker's D1 (ADR 0019). `insert`/`insertFrom` build the row's INSERT for the
 * caller's `db.batch([...])`, so the change and its message commit together or not at all; `send`
 * hands rows just written to the queue right after that batch; `drain` (cron, and after a send
 * that went through) sends whatever is due.
 */
export class D1Outbox {
  constructor(
    readonly table: OutboxTable,
    readonly policy: OutboxPolicy,
  ) {}

  /** What `.returning(outbox.returned)` gives back to pass to `send`. */
  get returned() {
    return { id: this.table.id, payload: this.table.payload, attempts: this.table.attempts };
  }

  /** The row for `message` (an envelope from `newEnvelope`), as one statement for a batch. */
  insert(db: Db, message: { id: string }, now: number) {
    return db.insert(this.table).values(newOutboxRecord(message, now, this.policy));
  }

  /**
   * The row for `message`, written once per row of `from` that matches `where` once the batch's
   * earlier statements have run: none when nothing matches (a refused change leaves no message),
   * several for several matches (then give each message id its own row, e.g. one match at most).
   * `fill` sets JSON paths of the payload from that row (`{ "$.userId": users.id }`, or any SQL
   * such as a `json_object(...)`), for a message about a row this code never reads.
   */
  insertFrom(
    db: Db,
    message: { id: string },
    now: number,
    source: { from: SQLiteTable; where: SQL | undefined; fill?: Record<string, SQLWrapper> },
  ) {
    const row = newOutboxRecord(message, now, this.policy);
    const json = sql<string>`${row.payload}`;
    const patches = Object.entries(source.fill ?? {}).map(([path, value]) => sql`, ${path}, ${value}`);
    return db.insert(this.table).select(
      db
        .select({
          id: sql<string>`${row.id}`.as("id"),
          payload: (patches.length ? sql<string>`json_set(${json}${sql.join(patches)})` : json).as("payload"),
          createdAt: sql<number>`${row.createdAt}`.as("created_at"),
          attempts: sql<number>`${row.attempts}`.as("attempts"),
          nextAt: sql<number>`${row.nextAt}`.as("next_at"),
        })
        .from(source.from)
        .where(source.where ?? sql`1`),
    );
  }

  /**
   * `insertFrom` as a raw statement, for batches of raw `sql` (no database needed to build it);
   * `where` and `fill` may name `from`'s columns unqualified.
   */
  insertFromSql(
    message: { id: string },
    now: number,
    source: { from: SQLiteTable; where: SQL; fill?: Record<string, SQLWrapper> },
  ): SQL {
    const row = newOutboxRecord(message, now, this.policy);
    const patches = Object.entries(source.fill ?? {}).map(([path, value]) => sql`, ${path}, ${value}`);
    const payload = patches.length ? sql`json_set(${row.payload}${sql.join(patches)})` : sql`${row.payload}`;
    const t = this.table;
    const columns = [t.id, t.payload, t.createdAt, t.attempts, t.nextAt].map((c) => sql.identifier(c.name));
    return sql`INSERT INTO ${t} (${sql.join(columns, sql`, `)})
      SELECT ${row.id}, ${payload}, ${row.createdAt}, ${row.attempts}, ${row.nextAt} FROM ${source.from} WHERE ${source.where}`;
  }

  store(db: Db): OutboxStore {
    const t = this.table;
    return {
      due: (now, limit) =>
        db.select(this.returned).from(t).where(lte(t.nextAt, now)).orderBy(asc(t.nextAt)).limit(limit),
      delivered: async (ids) => {
        await db.delete(t).where(inArray(t.id, ids));
      },
      refused: async (retries) => {
        const [first, ...rest] = retries.map((r) =>
          db.update(t).set({ attempts: r.attempts, nextAt: r.nextAt }).where(eq(t.id, r.id)),
        );
        if (first) await db.batch([first, ...rest]);
      },
    };
  }

  /** Sends rows (from `.returning(outbox.returned)` or `due`); see `sendOutboxRows`. Never throws. */
  send(db: Db, queue: Queue, rows: readonly OutboxRow[], now = Date.now()): Promise<boolean> {
    return sendOutboxRows(this.store(db), queue, rows, now, this.policy);
  }

  /** Sends the rows with these ids that are still unsent (the ids of messages a batch just wrote). */
  async sendIds(db: Db, queue: Queue, ids: readonly string[], now = Date.now()): Promise<boolean> {
    if (ids.length === 0) return true;
    const rows = await db
      .select(this.returned)
      .from(this.table)
      .where(inArray(this.table.id, [...ids]))
      .orderBy(asc(this.table.id))
      .catch(() => null);
    return rows ? this.send(db, queue, rows, now) : false;
  }

  /** Sends every due row (one batch). Returns how many were sent. */
  drain(db: Db, queue: Queue, now = Date.now()): Promise<number> {
    return drainOutboxStore(this.store(db), queue, now, this.policy);
  }

  /** The stored row of a message (whether a conditional insert wrote it), or undefined. */
  async find(db: Db, id: string) {
    return db.select().from(this.table).where(eq(this.table.id, id)).get();
  }
}
