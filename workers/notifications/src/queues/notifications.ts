import { NotificationMessage } from "@shop/contracts";
import { injectFault, log, retryDelaySeconds } from "@shop/runtime";
import { entryContext } from "../entry-context";
import type { NotificationsBindings } from "../env";
import { recordDeadMessage } from "../services/dead-letters/dead-letters";
import { deliverNotification } from "../services/notifications/deliver";
import { QUEUE_RETRY } from "./backoff";

/**
 * Consumer of `notifications`. Every message is acked or retried on its own, so one bad
 * message never re-sends the others; a malformed one is recorded as a dead letter and acked
 * (retrying cannot fix it); nothing here throws out of the batch.
 */
export async function consumeNotifications(
  batch: MessageBatch<unknown>,
  env: NotificationsBindings,
  exec: ExecutionContext,
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = NotificationMessage.safeParse(msg.body);
      try {
        await injectFault(env, "notifications.consume");
        if (!parsed.success) {
          const fields = parsed.error.issues.map((i) => i.path.join(".") || "body").join(", ");
          await recordDeadMessage(entryContext(env, exec), {
            source: "malformed",
            message: {
              deliveryId: msg.id,
              body: msg.body,
              attempts: msg.attempts,
              reason: `not a valid notification message: ${fields}`,
            },
          });
          log("warn", { worker: "notifications", msg: "malformed message dead-lettered", queueMessageId: msg.id });
          msg.ack();
          return;
        }
        const message = parsed.data as NotificationMessage;
        // The message continues its producer's trace, and its id is the request id of its delivery.
        const base = entryContext(env, exec, message);
        const ctx = { ...base, meta: { ...base.meta, requestId: message.id } };
        const outcome = await deliverNotification(ctx, message);
        if (outcome.kind === "unknown_user") {
          await recordDeadMessage(ctx, {
            source: "unknown_user",
            message: { deliveryId: msg.id, body: message, attempts: msg.attempts, reason: `no user ${message.userId}` },
          });
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
