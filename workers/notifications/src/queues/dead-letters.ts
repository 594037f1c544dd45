import { log, retryDelaySeconds } from "@shop/runtime";
import { database } from "../db/client";
import type { NotificationsBindings } from "../env";
import { lastDeliveryErrors, looseFields, recordDeadLetter } from "../services/dead-letters/record";
import { QUEUE_RETRY } from "./backoff";

/** Consumer of `notifications-dlq`: records each dead message (with why it died) for replay. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: NotificationsBindings): Promise<void> {
  const db = database(env.DB);
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        const { messageId } = looseFields(msg.body);
        const reason = (messageId && (await lastDeliveryErrors(db, messageId))) || "failed after the maximum retries";
        await recordDeadLetter(db, {
          source: "dead_letter_queue",
          dedupeKey: `dlq:${messageId ?? msg.id}`,
          body: msg.body,
          reason,
        });
        log("warn", { worker: "notifications", msg: "dead letter recorded", messageId, reason });
        msg.ack();
      } catch (err) {
        log("error", { worker: "notifications", msg: "dead letter not recorded", error: String(err) });
        msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, QUEUE_RETRY) });
      }
    }),
  );
}
