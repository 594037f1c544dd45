import { forgetExpiredIdempotencyRecords, log, serviceContextFor } from "@shop/runtime";
import { database } from "./db/client";
import type { UsersBindings } from "./env";
import { drainNotificationsOutbox } from "./services/outbox/outbox";
import { pruneLoginThrottle } from "./services/sessions/prune-login-throttle";

/**
 * Cron (every minute): sends the outbox messages the queue refused when they were written, and
 * drops sign-in throttle rows that can no longer affect a verdict and expired Idempotency-Keys.
 */
export async function scheduled(controller: ScheduledController, env: UsersBindings, ctx: ExecutionContext) {
  const context = serviceContextFor({
    db: database(env.DB),
    env,
    now: controller.scheduledTime,
    defer: (work) => ctx.waitUntil(work),
  });
  const sent = await drainNotificationsOutbox(context);
  if (sent > 0) log("info", { worker: "users", cron: controller.cron, msg: "outbox drained", sent });
  await pruneLoginThrottle(context);
  await forgetExpiredIdempotencyRecords(env.DB, controller.scheduledTime);
}
