import type { ReconciliationReport } from "@shop/contracts";
import { notFound } from "@shop/runtime";
import { lastRun, toReport } from "./reports";

/** The report of the newest run; 404 before the first run. */
export async function getLastReport(d1: D1Database): Promise<ReconciliationReport> {
  const row = await lastRun(d1);
  if (!row) throw notFound("A reconciliation report");
  return toReport(row);
}
