import { NotificationMessage } from "@shop/contracts";
import { injectFault, log, nextTraceparent, retryDelaySeconds } from "@shop/runtime";
import { recordDeadLetter } from "@shop/runtime/dead-letters";
import { database } from "../db/client";
import type { NotificationsBindings } from "../env";
import { QUEUE, recordAs } from "../services/dead-letters/dead-letters";
import { deliverNotification } from "../services/notifications/deliver";
import { QUEUE_RETRY } from "./backoff";

/**
 * Consumer of `notifications`. Every message is acked or retried on its own, so one bad
 * message never re-sends the others; a malformed one is recorded as a dead letter and acked
 * (retrying cannot fix it); nothing here throws out of the batch.
 */
export async function consumeNotifications(batch: MessageBatch<unknown>, env: NotificationsBindings): Promise<void> {
  const db = database(env.DB);
  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = NotificationMessage.safeParse(msg.body);
      try {
        await injectFault(env, "notifications.consume");
        if (!parsed.success) {
          const fields = parsed.error.issues.map((i) => i.path.join(".") || "body").join(", ");
          const now = Date.now();
          await recordDeadLetter(
            env.DB,
            {
              queue: QUEUE,
              deliveryId: msg.id,
              body: msg.body,
              attempts: msg.attempts,
              reason: `not a valid notification message: ${fields}`,
            },
            now,
            recordAs("malformed", msg.body, now),
          );
          log("warn", { worker: "notifications", msg: "malformed message dead-lettered", queueMessageId: msg.id });
          msg.ack();
          return;
        }
        const message = parsed.data as NotificationMessage;
        const meta = { requestId: message.id, traceparent: nextTraceparent(message.traceparent) };
        const outcome = await deliverNotification({ db, env }, message, meta);
        if (outcome.kind === "unknown_user") {
          const now = Date.now();
          await recordDeadLetter(
            env.DB,
            {
              queue: QUEUE,
              deliveryId: msg.id,
              body: message,
              attempts: msg.attempts,
              reason: `no user ${message.userId}`,
            },
            now,
            recordAs("unknown_user", message, now),
          );
          msg.ack();
        } else if (outcome.kind === "retry") {
          msg.retry({
            delaySeconds: Math.max(outcome.delaySeconds ?? 0, retryDelaySeconds(msg.attempts, QUEUE_RETRY)),
          });
        } else {
          msg.ack();
        }
      } catch (err) {
        log("error", {
          worker: "notifications",
          msg: "delivery attempt failed",
          queueMessageId: msg.id,
          attempts: msg.attempts,
          error: String(err),
        });
        msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, QUEUE_RETRY) });
      }
    }),
  );
}
