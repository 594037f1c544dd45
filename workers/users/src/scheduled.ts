import { log } from "@shop/runtime";
import { database } from "./db/client";
import type { UsersBindings } from "./env";
import { notificationsOutbox } from "./services/outbox/outbox";
import { pruneLoginThrottle } from "./services/sessions/prune-login-throttle";

/**
 * Cron (every minute): sends the outbox messages the queue refused when they were written, and
 * drops sign-in throttle rows that can no longer affect a verdict.
 */
export async function scheduled(controller: ScheduledController, env: UsersBindings, _ctx: ExecutionContext) {
  const sent = await notificationsOutbox.drain(database(env.DB), env.NOTIFICATIONS, controller.scheduledTime);
  if (sent > 0) log("info", { worker: "users", cron: controller.cron, msg: "outbox drained", sent });
  await pruneLoginThrottle(database(env.DB), controller.scheduledTime);
}
