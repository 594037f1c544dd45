import type { ReconciliationReport } from "@shop/contracts";
import { desc, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { reconciliationRuns } from "../../db/schema";

export type RunRow = typeof reconciliationRuns.$inferSelect;

/** Runs are kept this long (a 5-minute cron writes ≈ 8,600 a month). */
const KEEP_MS = 30 * 24 * 60 * 60_000;

/** The newest run, or null before the first. */
export async function lastRun(d1: D1Database): Promise<RunRow | null> {
  const row = await drizzle(d1)
    .select()
    .from(reconciliationRuns)
    .orderBy(desc(reconciliationRuns.startedAt), desc(reconciliationRuns.id))
    .limit(1)
    .get();
  return row ?? null;
}

export function toReport(row: RunRow): ReconciliationReport {
  const { repairs, problems } = JSON.parse(row.report) as Pick<ReconciliationReport, "repairs" | "problems">;
  return {
    id: row.id,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    paymentsSince: row.paymentsSince,
    paymentsChecked: row.paymentsChecked,
    ordersChecked: row.ordersChecked,
    complete: row.complete === 1,
    repairs,
    problems,
  };
}

/** Stores a run and forgets the ones past retention, in one batch. */
export async function saveRun(
  d1: D1Database,
  report: ReconciliationReport,
  feed: { cursor: string | null; complete: boolean },
): Promise<void> {
  const db = drizzle(d1);
  const forgetBefore = new Date(Date.parse(report.startedAt) - KEEP_MS).toISOString();
  await db.batch([
    db.insert(reconciliationRuns).values({
      id: report.id,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      paymentsSince: report.paymentsSince,
      paymentsCursor: feed.cursor,
      paymentsComplete: feed.complete ? 1 : 0,
      paymentsChecked: report.paymentsChecked,
      ordersChecked: report.ordersChecked,
      complete: report.complete ? 1 : 0,
      repairs: report.repairs.length,
      problems: report.problems.length,
      report: JSON.stringify({ repairs: report.repairs, problems: report.problems }),
    }),
    db.delete(reconciliationRuns).where(lt(reconciliationRuns.startedAt, forgetBefore)),
  ]);
}
