import { consumeDeadLetterBatch, messageIdOf } from "@shop/runtime/dead-letters";
import { entryContext } from "../entry-context";
import type { NotificationsBindings } from "../env";
import { lastDeliveryErrors, QUEUE, recordAs } from "../services/dead-letters/dead-letters";

/** Consumer of `notifications-dlq`: records each dead message (with why it died) for replay. */
export function consumeDeadLetters(
  batch: MessageBatch<unknown>,
  env: NotificationsBindings,
  exec: ExecutionContext,
): Promise<void> {
  const ctx = entryContext(env, exec);
  return consumeDeadLetterBatch(batch, env.DB, {
    worker: "notifications",
    queue: QUEUE,
    reason: async (body) => {
      const messageId = messageIdOf(body);
      return messageId && (await lastDeliveryErrors(ctx, { messageId }));
    },
    record: (body, now) => recordAs("dead_letter_queue", body, now),
  });
}
