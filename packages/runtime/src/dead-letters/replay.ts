import type { QueueDeadLetter } from "@shop/contracts";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Conflict, NotFound, Unavailable } from "../domain-errors";
import { toQueueDeadLetter } from "./list";
import { type QueueDeadLetterRow, type QueueDeadLetterTable, queueDeadLetters, REPLAY_LEASE_MS } from "./table";

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Replays a dead letter through `apply` — the very function the live consumer runs, which is
 * idempotent by the message's id — and marks it replayed at most once: `dead → replayed` is a
 * conditional update taken *before* applying, so of two concurrent replays one gets 409. If
 * applying fails, the mark is undone (the letter stays replayable) and the caller gets 503.
 * `parse` returns null for a body the consumer would refuse: such a letter cannot be replayed.
 * A replay that crashed between the mark and the outcome would block the letter for ever, so a
 * mark without an outcome is a lease: after REPLAY_LEASE_MS another replay may take it over
 * (applying twice is harmless, the consumer's function de-duplicates by message id).
 */
export async function replayQueueDeadLetter<T>(
  d1: D1Database,
  id: string,
  adminId: string,
  handler: { parse: (body: unknown) => T | null; apply: (message: T) => Promise<string> },
  now = Date.now(),
): Promise<QueueDeadLetter> {
  const { row, message } = await replayDeadLetterRow(d1, id, adminId, handler, now);
  return toQueueDeadLetter(row, () => message !== null);
}

/** `replayQueueDeadLetter` for a worker's own table: returns the replayed row for its own view. */
export async function replayDeadLetterRow<T, Row extends QueueDeadLetterRow = QueueDeadLetterRow>(
  d1: D1Database,
  id: string,
  adminId: string,
  handler: { parse: (body: unknown) => T | null; apply: (message: T) => Promise<string> },
  now = Date.now(),
  table: QueueDeadLetterTable = queueDeadLetters,
): Promise<{ row: Row; message: T }> {
  const db = drizzle(d1);
  const row = await db.select().from(table).where(eq(table.id, id)).get();
  if (!row) throw new NotFound("The dead letter");
  const message = handler.parse(parseBody(row.body));
  if (message === null) throw new Conflict("conflict", "This message is malformed and cannot be replayed.");
  const claimed = await db
    .update(table)
    .set({ status: "replayed", replayedAt: now, replayedBy: adminId })
    .where(
      and(
        eq(table.id, id),
        or(eq(table.status, "dead"), and(isNull(table.replayOutcome), lt(table.replayedAt, now - REPLAY_LEASE_MS))),
      ),
    )
    .returning({ id: table.id })
    .get();
  if (!claimed) throw new Conflict("conflict", "This message was already replayed.");
  let outcome: string;
  try {
    outcome = await handler.apply(message);
  } catch (err) {
    // Only our own mark: a replay that took the lease over since then keeps its own.
    await db
      .update(table)
      .set({ status: "dead", replayedAt: null, replayedBy: null })
      .where(and(eq(table.id, id), eq(table.replayedAt, now), isNull(table.replayOutcome)));
    throw new Unavailable(`Replaying the message failed; try again: ${String(err)}`);
  }
  const done = await db
    .update(table)
    .set({ replayOutcome: outcome.slice(0, 100) })
    .where(eq(table.id, id))
    .returning()
    .get();
  if (!done) throw new NotFound("The dead letter");
  return { row: done as Row, message };
}
