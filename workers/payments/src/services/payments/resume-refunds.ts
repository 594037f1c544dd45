import { log } from "@shop/runtime";
import { and, asc, eq, lt } from "drizzle-orm";
import { refunds } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { settlePendingRefund } from "./settle-refund";

/**
 * A refund younger than this may still belong to a live request (its idempotency lease is the
 * same length), so the cron leaves it alone; asking the gateway twice would be harmless (same
 * refund id, same gateway refund), but the live request settles it without our help.
 */
export const RESUME_REFUNDS_AFTER_MS = 60_000;

/** Per run, so a gateway outage cannot make one cron invocation run past its time limit. */
const RESUME_BATCH = 25;

export type ResumeReport = { resumed: number; refunded: number; refused: number; stillPending: number };

/**
 * Cron: finishes refunds a crash or a gateway outage left `pending` (reserved, gateway answer
 * never recorded). Each is asked of the gateway again with the same idempotency key and settled
 * exactly as the live path settles it, so money leaves once and the payment event goes out
 * through the outbox once, however often this runs and whoever settles first. Oldest first; a
 * refund whose gateway is still unreachable stays pending for the next run. "Now" is `ctx.meta.now`.
 */
export async function resumePendingRefunds(ctx: PaymentsContext): Promise<ResumeReport> {
  const before = new Date(ctx.meta.now - RESUME_REFUNDS_AFTER_MS).toISOString();
  const stale = await ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.status, "pending"), lt(refunds.updatedAt, before)))
    .orderBy(asc(refunds.createdAt))
    .limit(RESUME_BATCH);
  const report: ResumeReport = { resumed: stale.length, refunded: 0, refused: 0, stillPending: 0 };
  for (const refund of stale) {
    try {
      const outcome = await settlePendingRefund(ctx, refund);
      if (outcome.ok) report.refunded++;
      else report.refused++;
    } catch (err) {
      report.stillPending++;
      log("error", {
        worker: "payments",
        msg: "pending refund not resumed; the next run retries",
        refundId: refund.id,
        paymentId: refund.paymentId,
        error: String(err),
      });
    }
  }
  return report;
}
