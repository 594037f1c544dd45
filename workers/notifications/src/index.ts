import { meterD1 } from "@shop/runtime";
import { app } from "./app";
import type { NotificationsBindings } from "./env";
import { handleInboundEmail } from "./inbound/email";
import { consumeDeadLetters } from "./queues/dead-letters";
import { consumeNotifications } from "./queues/notifications";

/** The dead-letter queue is named `notifications-dlq` (suffixed per environment). */
const isDeadLetterQueue = (queue: string) => queue.startsWith("notifications-dlq");

// Workers require a default export: HTTP (the Hono app), both queue consumers, and inbound email.
export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<unknown>, raw: NotificationsBindings, exec: ExecutionContext): Promise<void> {
    const env = meterD1(raw);
    if (isDeadLetterQueue(batch.queue)) await consumeDeadLetters(batch, env, exec);
    else await consumeNotifications(batch, env, exec);
  },
  async email(message: ForwardableEmailMessage, env: NotificationsBindings, exec: ExecutionContext): Promise<void> {
    await handleInboundEmail(message, env, exec);
  },
} satisfies ExportedHandler<NotificationsBindings>;
