import { log } from "@shop/runtime";
import { projectReturns } from "../returns/project-returns";
import { returnView } from "../returns/types";
import type { SagaContext } from "./context";
import { projectOrder } from "./project-order";

/**
 * Delivers what the order's transitions left behind: notification messages to the
 * `notifications` queue (the runtime's Durable Object outbox, ADR 0019: each message has its
 * own id, the consumer de-duplicates on it) and the current state to the D1 history (the
 * order's own projection row). Both stay until delivered; failures back off exponentially and
 * the alarm tries again.
 */
export async function drainOutbox(ctx: SagaContext): Promise<void> {
  const now = ctx.now().getTime();
  ctx.store.adoptLegacyNotifications();
  await ctx.store.notifications.drain(ctx.env.NOTIFICATIONS, now);
  if (ctx.store.projectionDue(now)) {
    try {
      const projected = await projectOrder(
        ctx.env.DB,
        ctx.store.view(),
        ctx.store.row().version,
        ctx.store.projected(),
      );
      const row = ctx.store.row();
      await projectReturns(
        ctx.env.DB,
        ctx.store.returns().map((r) => ({ view: returnView(row, r), version: r.version })),
      );
      ctx.store.projectionDelivered(projected);
    } catch (err) {
      log("warn", { worker: "orders", msg: "history projection failed", error: String(err) });
      ctx.store.projectionFailed(now);
    }
  }
}
