import { asc, eq, inArray, lte, min } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import {
  drainOutboxStore,
  newOutboxRecord,
  type OutboxPolicy,
  type OutboxRow,
  type OutboxStore,
  sendOutboxRows,
} from "./core";
import type { OutboxTable } from "./table";

// biome-ignore lint/suspicious/noExplicitAny: any object's drizzle database, whatever its schema.
type Db = DrizzleSqliteDODatabase<any>;

/**
 * The outbox in a Durable Object's own SQLite (ADR 0019), over drizzle's durable-sqlite driver
 * (`drizzle(ctx.storage)`). Every call is synchronous but `send`/`drain`: `enqueue` belongs inside
 * the `ctx.storage.transactionSync(...)` that makes the change it announces. After a drain the
 * object's alarm must wake it at `nextDueAt()` (or use `scheduleAlarm`), which is how a refused
 * message is retried at its backoff time. The object creates the table itself (`outboxTableSql`).
 */
export class DurableOutbox {
  constructor(
    private readonly db: Db,
    readonly table: OutboxTable,
    readonly policy: OutboxPolicy,
  ) {}

  /** Writes the row for `message` (an envelope from `newEnvelope`). Call inside the change's transaction. */
  enqueue(message: { id: string }, now: number): void {
    this.db
      .insert(this.table)
      .values(newOutboxRecord(message, now, this.policy))
      .run();
  }

  /** Earliest time a row is due (epoch ms), or null when the outbox is empty. */
  nextDueAt(): number | null {
    return (
      this.db
        .select({ at: min(this.table.nextAt) })
        .from(this.table)
        .get()?.at ?? null
    );
  }

  store(): OutboxStore {
    const t = this.table;
    return {
      due: (now, limit) =>
        this.db
          .select({ id: t.id, payload: t.payload, attempts: t.attempts })
          .from(t)
          .where(lte(t.nextAt, now))
          .orderBy(asc(t.nextAt), asc(t.id))
          .limit(limit)
          .all(),
      delivered: (ids) => {
        this.db.delete(t).where(inArray(t.id, ids)).run();
      },
      refused: (retries) => {
        this.db.transaction((tx) => {
          for (const r of retries)
            tx.update(t).set({ attempts: r.attempts, nextAt: r.nextAt }).where(eq(t.id, r.id)).run();
        });
      },
    };
  }

  send(queue: Queue, rows: readonly OutboxRow[], now = Date.now()): Promise<boolean> {
    return sendOutboxRows(this.store(), queue, rows, now, this.policy);
  }

  /** Sends every due row (one batch). Returns how many were sent. */
  drain(queue: Queue, now = Date.now()): Promise<number> {
    return drainOutboxStore(this.store(), queue, now, this.policy);
  }

  /**
   * Makes the object's alarm fire by the next due row: moves an alarm set for later (or none)
   * earlier, and leaves an earlier one alone (the object's `alarm()` drains and calls this again).
   */
  async scheduleAlarm(storage: DurableObjectStorage): Promise<number | null> {
    const due = this.nextDueAt();
    if (due === null) return null;
    const current = await storage.getAlarm();
    if (current === null || current > due) await storage.setAlarm(due);
    return due;
  }
}
