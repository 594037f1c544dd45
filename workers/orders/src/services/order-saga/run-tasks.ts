import { log } from "@shop/runtime";
import { returnsTask } from "../returns/commands";
import type { SagaContext } from "./context";
import { cancelPaymentTask, expireTask, refundTask } from "./payment-tasks";
import { placeTask } from "./place-task";
import { clearCartTask, commitTask, releasePromotionsTask, releaseTask, restockTask } from "./stock-tasks";
import type { TaskName } from "./types";

export type SagaConfig = { reservationTtlSeconds: number };

function handler(name: TaskName, ctx: SagaContext, config: SagaConfig): Promise<void> {
  switch (name) {
    case "place":
      return placeTask(ctx, config.reservationTtlSeconds);
    case "commit":
      return commitTask(ctx);
    case "release":
      return releaseTask(ctx);
    case "restock":
      return restockTask(ctx);
    case "cancel_payment":
      return cancelPaymentTask(ctx);
    case "refund":
      return refundTask(ctx);
    case "clear_cart":
      return clearCartTask(ctx);
    case "expire":
      return expireTask(ctx);
    case "returns":
      return returnsTask(ctx);
    case "release_promotions":
      return releasePromotionsTask(ctx);
  }
}

/** Schedules the expiry of an order still unpaid at its deadline. */
export function checkDeadline(ctx: SagaContext): void {
  const row = ctx.store.row();
  const overdue = row.status === "awaiting_payment" && row.payment_status !== "succeeded";
  if (overdue && ctx.now().getTime() >= row.deadline_at && !ctx.store.hasTask("expire")) {
    ctx.store.apply({ addTasks: ["expire"] });
  }
}

/**
 * Runs every due task, most urgent first, until none is due. A failing task is rescheduled
 * with backoff and the others still run; each task is idempotent, so a retry after a crash
 * at any point repeats at most a call the neighbour de-duplicates.
 */
export async function runDueTasks(ctx: SagaContext, config: SagaConfig): Promise<void> {
  const failed = new Set<TaskName>();
  for (let i = 0; i < 20; i++) {
    const name = ctx.store.nextDueTask(ctx.now().getTime(), failed);
    if (!name) return;
    try {
      await handler(name, ctx, config);
    } catch (err) {
      failed.add(name);
      ctx.store.taskFailed(name, String(err), ctx.now().getTime());
      log("warn", {
        worker: "orders",
        msg: "order task failed",
        task: name,
        order: ctx.store.row().id,
        error: String(err),
      });
    }
  }
}
