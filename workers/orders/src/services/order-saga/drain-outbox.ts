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
 * the alarm tries again. Neither depends on the other, so they travel at the same time (ADR 0023):
 * the answer to `POST /orders` waits for the slower one only.
 */
export async function drainOutbox(ctx: SagaContext): Promise<void> {
  const now = ctx.now().getTime();
  ctx.store.adoptLegacyNotifications();
  await allOf([ctx.store.notifications.drain(ctx.env.NOTIFICATIONS, now), projectHistory(ctx, now)]);
}

/**
 * Waits for every one of `work` (none is left running in the object when this returns), then
 * throws the first failure, if any.
 */
async function allOf<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** The order and its returns into the D1 history, when due: two independent writes, at the same time. */
async function projectHistory(ctx: SagaContext, now: number): Promise<void> {
  if (!ctx.store.projectionDue(now)) return;
  try {
    const row = ctx.store.row();
    const [projected] = await allOf([
      projectOrder(ctx.env.DB, ctx.store.view(), row.version, ctx.store.projected()),
      projectReturns(
        ctx.env.DB,
        ctx.store.returns().map((r) => ({ view: returnView(row, r), version: r.version })),
      ),
    ]);
    ctx.store.projectionDelivered(projected);
  } catch (err) {
    log("warn", { worker: "orders", msg: "history projection failed", error: String(err) });
    ctx.store.projectionFailed(now);
  }
}
