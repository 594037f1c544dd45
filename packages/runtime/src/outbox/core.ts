import { type Backoff, backoffMs } from "../backoff";
import { log } from "../log";

/**
 * The storage-independent half of the transactional outbox (ADR 0007, ADR 0019): what a row is,
 * when it is due, and the loop that hands due rows to a queue and records the outcome. The D1
 * flavour (`./d1`) and the Durable Object flavour (`./durable`) only store rows.
 *
 * A row is one queue message: `id` is the envelope's id (consumers de-duplicate on it, so a row
 * sent twice after a lost "delivered" is harmless), `payload` the envelope as JSON, `attempts`
 * how often the queue refused it, `nextAt` (epoch ms) when it is due. A new row is due only after
 * the policy's grace period, so a sweep does not race the request that wrote it and sends it at
 * once.
 */
export type OutboxRow = { id: string; payload: string; attempts: number };

/** The whole stored row (both flavours' tables have exactly these columns). */
export type OutboxRecord = OutboxRow & { createdAt: number; nextAt: number };

export type OutboxPolicy = {
  /** Names the worker in log lines. */
  worker: string;
  /** Delay after the n-th refusal (default: 30 s, doubling, at most an hour). */
  retry?: Backoff;
  /** How long a new row is left to the writer's own send before a drain takes it (default 60 s). */
  graceMs?: number;
  /** Rows one drain sends (default 100, the most one `Queue.sendBatch` takes). */
  batchSize?: number;
};

export const OUTBOX_RETRY: Backoff = { baseMs: 30_000, maxMs: 3_600_000 };
const DEFAULT_GRACE_MS = 60_000;
const DEFAULT_BATCH = 100;

/** The row for a new message: never refused yet, due once the writer's grace period is over. */
export function newOutboxRecord(message: { id: string }, now: number, policy: OutboxPolicy): OutboxRecord {
  return {
    id: message.id,
    payload: JSON.stringify(message),
    createdAt: now,
    attempts: 0,
    nextAt: now + (policy.graceMs ?? DEFAULT_GRACE_MS),
  };
}

/** When a row the queue refused for the `attempts`-th time is due again. */
export function retryAt(attempts: number, now: number, policy: OutboxPolicy): number {
  return now + backoffMs(attempts, policy.retry ?? OUTBOX_RETRY);
}

/** What a flavour stores: reads due rows, forgets delivered ones, reschedules refused ones. */
export type OutboxStore = {
  due(now: number, limit: number): OutboxRow[] | Promise<OutboxRow[]>;
  delivered(ids: string[]): void | Promise<void>;
  refused(retries: { id: string; attempts: number; nextAt: number }[]): void | Promise<void>;
};

/**
 * Hands `rows` to the queue in one batch. Sent: the rows are forgotten (if that is lost, they go
 * out again later; consumers de-duplicate). Refused: each is rescheduled with backoff. Never
 * throws (the change the messages announce is already durable); returns whether they were sent.
 */
export async function sendOutboxRows(
  store: OutboxStore,
  queue: Queue,
  rows: readonly OutboxRow[],
  now: number,
  policy: OutboxPolicy,
): Promise<boolean> {
  if (rows.length === 0) return true;
  const ids = rows.map((r) => r.id);
  try {
    await queue.sendBatch(rows.map((r) => ({ body: JSON.parse(r.payload) as unknown, contentType: "json" as const })));
  } catch (error) {
    log("error", {
      worker: policy.worker,
      msg: "outbox messages not queued; kept for retry",
      ids,
      error: String(error),
    });
    try {
      await store.refused(
        rows.map((r) => ({ id: r.id, attempts: r.attempts + 1, nextAt: retryAt(r.attempts + 1, now, policy) })),
      );
    } catch (err) {
      // The rows stay due as they were: the next drain tries them again.
      log("warn", { worker: policy.worker, msg: "outbox retry not recorded", ids, error: String(err) });
    }
    return false;
  }
  try {
    await store.delivered(ids);
  } catch (err) {
    log("warn", { worker: policy.worker, msg: "sent outbox rows not forgotten; they repeat", ids, error: String(err) });
  }
  return true;
}

/** Sends every row that is due (oldest due first, one batch). Returns how many were sent. */
export async function drainOutboxStore(
  store: OutboxStore,
  queue: Queue,
  now: number,
  policy: OutboxPolicy,
): Promise<number> {
  const due = await store.due(now, policy.batchSize ?? DEFAULT_BATCH);
  if (due.length === 0) return 0;
  return (await sendOutboxRows(store, queue, due, now, policy)) ? due.length : 0;
}
