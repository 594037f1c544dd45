import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { retryDelaySeconds } from "../backoff";
import { newId } from "../ids";
import { log } from "../log";
import { type QueueDeadLetterTable, queueDeadLetters } from "./table";

const MAX_BODY_CHARS = 64_000;

/** Whatever arrived, even if it is not JSON, bounded in size. */
function serializeBody(body: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}

/** The envelope or event id of a message, if it has one we can read without trusting the rest. */
export function messageIdOf(body: unknown): string | null {
  const id = body && typeof body === "object" ? (body as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 ? id.slice(0, 200) : null;
}

export type DeadMessage = {
  /** The live queue the message died on, without the environment suffix (e.g. `payment-events`). */
  queue: string;
  /** The platform's id of this delivery: the dedupe key when the body carries no id of its own. */
  deliveryId: string;
  body: unknown;
  attempts: number;
  reason: string;
};

export type RecordOptions = {
  /** A worker's own table built from `deadLetterColumns()` (default: the shared one). */
  table?: QueueDeadLetterTable;
  /** The id of a new row (default: a new `deadLetter` id). */
  id?: string;
  /** Values of the worker's own columns, written with a new row. */
  extra?: Record<string, unknown>;
  /**
   * Re-open a replayed letter when its message dies again: for replays that put the message back
   * on its queue (it can die again), not for replays that apply it (they record the outcome).
   */
  reopen?: boolean;
};

/**
 * Records a dead message once per `<queue>:<message id>` and returns whether this delivery was
 * the first. The id is the body's own (envelope/event) id, so a redelivery of the same dead
 * letter — by the DLQ, or of a copy the producer sent twice — is recorded once.
 */
export async function recordDeadLetter(
  d1: D1Database,
  message: DeadMessage,
  now = Date.now(),
  options: RecordOptions = {},
): Promise<{ id: string; first: boolean }> {
  const messageId = messageIdOf(message.body);
  const table = options.table ?? queueDeadLetters;
  const reason = message.reason.slice(0, 1000);
  const replayed = sql`${table.status} = 'replayed'`;
  const row = await drizzle(d1)
    .insert(table)
    .values({
      ...options.extra,
      id: options.id ?? newId("deadLetter"),
      dedupeKey: `${message.queue}:${messageId ?? message.deliveryId}`,
      queue: message.queue,
      messageId,
      body: serializeBody(message.body),
      reason,
      status: "dead",
      attempts: message.attempts,
      deliveries: 1,
      firstSeenAt: now,
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: table.dedupeKey,
      set: {
        deliveries: sql`${table.deliveries} + 1`,
        attempts: sql`max(${table.attempts}, excluded.attempts)`,
        lastSeenAt: now,
        ...(options.reopen
          ? {
              status: "dead" as const,
              reason: sql`CASE WHEN ${replayed} THEN ${reason} ELSE ${table.reason} END`,
              replayOutcome: sql`CASE WHEN ${replayed} THEN NULL ELSE ${table.replayOutcome} END`,
            }
          : {}),
      },
    })
    .returning({ id: table.id, deliveries: table.deliveries })
    .get();
  if (!row) throw new Error("dead letter row vanished");
  return { id: row.id, first: row.deliveries === 1 };
}

/**
 * A dead-letter queue consumer: records every message, logs an error line (a dead letter is
 * always something an operator must look at), and acks it. Only a failure to record it is
 * retried, so a message is never acked unread.
 */
export async function consumeDeadLetterBatch(
  batch: MessageBatch<unknown>,
  d1: D1Database,
  opts: {
    worker: string;
    queue: string;
    /** Why it died: fixed, or looked up per message (null: the default). */
    reason?: string | ((body: unknown) => Promise<string | null>);
    /** How to record each message (the worker's table and columns). */
    record?: (body: unknown, now: number) => RecordOptions;
  },
): Promise<void> {
  for (const msg of batch.messages) {
    try {
      const fallback = `failed after the maximum retries on ${opts.queue}`;
      const reason = typeof opts.reason === "function" ? await opts.reason(msg.body) : opts.reason;
      const now = Date.now();
      const recorded = await recordDeadLetter(
        d1,
        { queue: opts.queue, deliveryId: msg.id, body: msg.body, attempts: msg.attempts, reason: reason || fallback },
        now,
        opts.record?.(msg.body, now),
      );
      log("error", {
        worker: opts.worker,
        msg: "dead letter recorded",
        queue: opts.queue,
        deadLetterQueue: batch.queue,
        deadLetterId: recorded.id,
        messageId: messageIdOf(msg.body) ?? msg.id,
        redelivery: !recorded.first,
      });
      msg.ack();
    } catch (err) {
      log("error", { worker: opts.worker, msg: "dead letter not recorded", queue: opts.queue, error: String(err) });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, { baseSeconds: 2, maxSeconds: 300 }) });
    }
  }
}
