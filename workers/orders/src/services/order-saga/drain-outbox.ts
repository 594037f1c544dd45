import { log } from "@shop/runtime";
import type { SagaContext } from "./context";
import { projectOrder } from "./project-order";

/**
 * Delivers what the order's transitions left in the outbox: notification messages to the
 * `notifications` queue (each with its own unique id; the consumer de-duplicates on it) and
 * the current state to the D1 history. Rows leave the outbox only once delivered; failures
 * back off exponentially and the alarm tries again.
 */
export async function drainOutbox(ctx: SagaContext): Promise<void> {
  const now = ctx.now().getTime();
  const due = ctx.store.dueOutbox(now);
  const notifications = due.filter((r) => r.kind === "notification");
  if (notifications.length) {
    const ids = notifications.map((r) => r.id);
    try {
      await ctx.env.NOTIFICATIONS.sendBatch(
        notifications.map((r) => ({ body: JSON.parse(r.payload), contentType: "json" })),
      );
      ctx.store.outboxDelivered(ids);
    } catch (err) {
      log("warn", { worker: "orders", msg: "notification send failed", error: String(err), ids });
      ctx.store.outboxFailed(ids, now);
    }
  }
  if (due.some((r) => r.kind === "projection")) {
    try {
      await projectOrder(ctx.env.DB, ctx.store.view(), ctx.store.row().version);
      ctx.store.outboxDelivered(["projection"]);
    } catch (err) {
      log("warn", { worker: "orders", msg: "history projection failed", error: String(err) });
      ctx.store.outboxFailed(["projection"], now);
    }
  }
}
