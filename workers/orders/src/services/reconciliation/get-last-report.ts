import type { ReconciliationReport } from "@shop/contracts";
import { NotFound } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { lastRun, toReport } from "./reports";

/** The report of the newest run; 404 before the first run. */
export async function getLastReport(ctx: OrdersContext): Promise<ReconciliationReport> {
  const row = await lastRun(ctx.env.DB);
  if (!row) throw new NotFound("A reconciliation report");
  return toReport(row);
}
