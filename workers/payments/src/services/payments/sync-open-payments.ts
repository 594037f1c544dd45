import { log } from "@shop/runtime";
import { and, asc, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { payments } from "../../db/schema";
import type { PaymentsContext } from "../../env";
import { OPEN_STATUSES } from "./status";
import { type SyncOutcome, syncPayment } from "./sync-payment";

/** A payment younger than this may still hear from its gateway the ordinary way. */
const SYNC_AFTER_MS = 3 * 60_000;
/** Per run: provider calls are sequential, and one cron invocation must stay short. */
const SYNC_BATCH = 25;

export type SyncReport = { checked: number; applied: number; failed: number; outcomes: Record<string, number> };

/**
 * Cron: payments still open (`requires_payment`, `requires_action`, `processing`) a few minutes
 * after they were created are looked up at the provider, and whatever it says is applied as the
 * lost webhook would have been (`syncPayment`). Oldest due first, a bounded batch; each check
 * pushes the payment's `next_sync_at` out, so a long-open one (a bank debit) takes its turn with
 * the others. A provider that is down fails the check, not the run. "Now" is `ctx.meta.now`.
 */
export async function syncOpenPayments(ctx: PaymentsContext): Promise<SyncReport> {
  const now = new Date(ctx.meta.now);
  const cutoff = new Date(now.getTime() - SYNC_AFTER_MS).toISOString();
  const due = await ctx.db
    .select()
    .from(payments)
    .where(
      and(
        inArray(payments.status, [...OPEN_STATUSES]),
        lte(payments.createdAt, cutoff),
        or(isNull(payments.nextSyncAt), lte(payments.nextSyncAt, now.toISOString())),
      ),
    )
    .orderBy(asc(sql`coalesce(${payments.nextSyncAt}, ${payments.createdAt})`), asc(payments.id))
    .limit(SYNC_BATCH);
  const report: SyncReport = { checked: due.length, applied: 0, failed: 0, outcomes: {} };
  for (const row of due) {
    let outcome: SyncOutcome | "error";
    try {
      outcome = await syncPayment(ctx, row);
    } catch (err) {
      outcome = "error";
      report.failed++;
      log("warn", {
        worker: "payments",
        msg: "payment sync failed; the next run retries",
        paymentId: row.id,
        error: String(err),
      });
    }
    if (outcome === "applied") {
      report.applied++;
      log("warn", { worker: "payments", msg: "payment moved by sync: its gateway event was lost", paymentId: row.id });
    }
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
  }
  return report;
}
