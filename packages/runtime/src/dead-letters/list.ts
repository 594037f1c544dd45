import type { QueueDeadLetter, QueueDeadLetterPage } from "@shop/contracts";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { beforeIdCursor, keysetPage } from "../cursor";
import { type QueueDeadLetterRow, type QueueDeadLetterTable, queueDeadLetters, REPLAY_LEASE_MS } from "./table";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Whether a letter may be replayed: it is dead, or its replay crashed before recording an outcome (the lease ran out). */
export function isOpenDeadLetter(r: QueueDeadLetterRow, now = Date.now()): boolean {
  return (
    r.status === "dead" || (r.replayOutcome === null && r.replayedAt !== null && r.replayedAt < now - REPLAY_LEASE_MS)
  );
}

/** The stored body: the message as it arrived when it was JSON, else the text. */
export const deadLetterBody = parseBody;

/**
 * The API view of a row. `replayable`: the body is a message the queue's consumer accepts, and
 * the letter is open (`isOpenDeadLetter`).
 */
export function toQueueDeadLetter(
  r: QueueDeadLetterRow,
  isReplayable: (body: unknown) => boolean,
  now = Date.now(),
): QueueDeadLetter {
  const body = parseBody(r.body);
  const open = isOpenDeadLetter(r, now);
  return {
    id: r.id,
    queue: r.queue,
    messageId: r.messageId,
    status: r.status,
    attempts: r.attempts,
    deliveries: r.deliveries,
    reason: r.reason,
    replayable: open && isReplayable(body),
    body,
    firstSeenAt: new Date(r.firstSeenAt).toISOString(),
    lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    replayedAt: iso(r.replayedAt),
    replayedBy: r.replayedBy,
    replayOutcome: r.replayOutcome,
  };
}

export type DeadLetterPageQuery = {
  limit: number;
  cursor?: string | undefined;
  status?: "dead" | "replayed" | undefined;
};

/** Dead-letter rows, newest first (keyset on the time-sortable id), optionally only one status. */
export async function listDeadLetterRows<Row extends QueueDeadLetterRow = QueueDeadLetterRow>(
  d1: D1Database,
  page: DeadLetterPageQuery,
  table: QueueDeadLetterTable = queueDeadLetters,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const rows = (await drizzle(d1)
    .select()
    .from(table)
    .where(and(page.status ? eq(table.status, page.status) : undefined, beforeIdCursor(table.id, page.cursor)))
    .orderBy(desc(table.id))
    .limit(page.limit + 1)) as Row[];
  return keysetPage(rows, page.limit, (r) => [r.id]);
}

/** Dead letters in the shared API view, newest first, optionally only one status. */
export async function listQueueDeadLetters(
  d1: D1Database,
  page: DeadLetterPageQuery,
  isReplayable: (body: unknown) => boolean,
): Promise<QueueDeadLetterPage> {
  const { rows, nextCursor } = await listDeadLetterRows(d1, page);
  return { items: rows.map((r) => toQueueDeadLetter(r, isReplayable)), nextCursor };
}
