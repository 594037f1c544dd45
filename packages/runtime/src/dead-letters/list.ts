import type { QueueDeadLetter, QueueDeadLetterPage } from "@shop/contracts";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { beforeIdCursor, keysetPage } from "../cursor";
import { type QueueDeadLetterRow, queueDeadLetters, REPLAY_LEASE_MS } from "./table";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The API view of a row. `replayable`: the body is a message the queue's consumer accepts, and
 * the letter is dead or its replay crashed before recording an outcome (the lease ran out).
 */
export function toQueueDeadLetter(
  r: QueueDeadLetterRow,
  isReplayable: (body: unknown) => boolean,
  now = Date.now(),
): QueueDeadLetter {
  const body = parseBody(r.body);
  const open =
    r.status === "dead" || (r.replayOutcome === null && r.replayedAt !== null && r.replayedAt < now - REPLAY_LEASE_MS);
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

/** Dead letters, newest first (keyset on the time-sortable id), optionally only one status. */
export async function listQueueDeadLetters(
  d1: D1Database,
  page: { limit: number; cursor?: string | undefined; status?: "dead" | "replayed" | undefined },
  isReplayable: (body: unknown) => boolean,
): Promise<QueueDeadLetterPage> {
  const rows = await drizzle(d1)
    .select()
    .from(queueDeadLetters)
    .where(
      and(
        page.status ? eq(queueDeadLetters.status, page.status) : undefined,
        beforeIdCursor(queueDeadLetters.id, page.cursor),
      ),
    )
    .orderBy(desc(queueDeadLetters.id))
    .limit(page.limit + 1);
  const { rows: found, nextCursor } = keysetPage(rows, page.limit, (r) => [r.id]);
  return { items: found.map((r) => toQueueDeadLetter(r, isReplayable)), nextCursor };
}
