import { consumeDeadLetterBatch, messageIdOf } from "@shop/runtime/dead-letters";
import { database } from "../db/client";
import type { NotificationsBindings } from "../env";
import { lastDeliveryErrors, QUEUE, recordAs } from "../services/dead-letters/dead-letters";

/** Consumer of `notifications-dlq`: records each dead message (with why it died) for replay. */
export function consumeDeadLetters(batch: MessageBatch<unknown>, env: NotificationsBindings): Promise<void> {
  const db = database(env.DB);
  return consumeDeadLetterBatch(batch, env.DB, {
    worker: "notifications",
    queue: QUEUE,
    reason: async (body) => {
      const messageId = messageIdOf(body);
      return messageId && (await lastDeliveryErrors(db, messageId));
    },
    record: (body, now) => recordAs("dead_letter_queue", body, now),
  });
}
