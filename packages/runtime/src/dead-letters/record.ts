import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { retryDelaySeconds } from "../backoff";
import { newId } from "../ids";
import { log } from "../log";
import { queueDeadLetters } from "./table";

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
function messageIdOf(body: unknown): string | null {
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

/**
 * Records a dead message once per `<queue>:<message id>` and returns whether this delivery was
 * the first. The id is the body's own (envelope/event) id, so a redelivery of the same dead
 * letter — by the DLQ, or of a copy the producer sent twice — is recorded once.
 */
export async function recordDeadLetter(
  d1: D1Database,
  message: DeadMessage,
  now = Date.now(),
): Promise<{ id: string; first: boolean }> {
  const messageId = messageIdOf(message.body);
  const row = await drizzle(d1)
    .insert(queueDeadLetters)
    .values({
      id: newId("deadLetter"),
      dedupeKey: `${message.queue}:${messageId ?? message.deliveryId}`,
      queue: message.queue,
      messageId,
      body: serializeBody(message.body),
      reason: message.reason.slice(0, 1000),
      status: "dead",
      attempts: message.attempts,
      deliveries: 1,
      firstSeenAt: now,
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: queueDeadLetters.dedupeKey,
      set: {
        deliveries: sql`${queueDeadLetters.deliveries} + 1`,
        attempts: sql`max(${queueDeadLetters.attempts}, excluded.attempts)`,
        lastSeenAt: now,
      },
    })
    .returning({ id: queueDeadLetters.id, deliveries: queueDeadLetters.deliveries })
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
  opts: { worker: string; queue: string; reason?: string },
): Promise<void> {
  for (const msg of batch.messages) {
    try {
      const recorded = await recordDeadLetter(d1, {
        queue: opts.queue,
        deliveryId: msg.id,
        body: msg.body,
        attempts: msg.attempts,
        reason: opts.reason ?? `failed after the maximum retries on ${opts.queue}`,
      });
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
