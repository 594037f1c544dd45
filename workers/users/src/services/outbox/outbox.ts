import { D1Outbox } from "@shop/runtime/outbox";
import { outbox } from "../../db/schema";
import type { UsersContext } from "../../env";

/**
 * Messages to the `notifications` queue, through the runtime's D1 outbox (ADR 0007, 0019): the
 * request that writes a row sends it right after its batch; a row the queue refused is sent
 * again by the cron (and after a later send that went through), 30 s after the first refusal,
 * twice as long after each further one, at most an hour apart. A new row is left to its request
 * for a minute before a drain may take it.
 */
export const notificationsOutbox = new D1Outbox(outbox, {
  worker: "users",
  graceMs: 60_000,
  retry: { baseMs: 30_000, maxMs: 3_600_000 },
});

/** Sends what the queue refused earlier (the cron's half of the outbox); returns how many went. */
export function drainNotificationsOutbox(ctx: UsersContext): Promise<number> {
  return notificationsOutbox.drain(ctx.db, ctx.env.NOTIFICATIONS, ctx.meta.now);
}
