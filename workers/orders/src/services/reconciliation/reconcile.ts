import type { ReconciliationReport } from "@shop/contracts";
import { log, newId } from "@shop/runtime";
import type { OrdersBindings, OrdersContext } from "../../env";
import { checkSettledPayments } from "./check-settled-payments";
import { lastRun, saveRun } from "./reports";
import { settleOverdueOrders } from "./settle-overdue-orders";

/** The orders cron that runs `reconcile` (the hourly one forgets idempotency keys). */
export const RECONCILIATION_CRON = "*/5 * * * *";
/** Each run re-reads this much before the last one started: clock skew, facts in their grace period. */
const OVERLAP_MS = 10 * 60_000;
/** The very first run looks back this far. */
const FIRST_LOOK_BACK_MS = 24 * 60 * 60_000;

type Env = Pick<OrdersBindings, "DB" | "ORDER" | "PAYMENTS">;

/**
 * Compares payments with orders and repairs through the order saga's own commands:
 * (a) every payment that took money since the last run has an order that sold or is refunding
 *     it — an order that never heard of its payment gets the fact as a payment event;
 * (b) every order past its payment deadline is settled — its payment checked at the provider,
 *     then its DO resumed.
 * Everything it does is idempotent (facts carry deterministic event ids; the saga ignores what
 * it already knows), so runs may overlap or repeat. The report is stored (the newest is
 * `GET /orders/reconciliation`) and logged as one line, at error level while problems remain.
 */
export async function reconcile(ctx: {
  env: Env;
  meta: Pick<OrdersContext["meta"], "now">;
}): Promise<ReconciliationReport> {
  const { env } = ctx;
  const now = new Date(ctx.meta.now);
  const id = newId("reconciliation");
  const meta = { requestId: id };
  const previous = await lastRun(env.DB);
  const window =
    previous && previous.paymentsComplete === 0
      ? { since: previous.paymentsSince, cursor: previous.paymentsCursor }
      : {
          since: new Date(
            previous ? Date.parse(previous.startedAt) - OVERLAP_MS : now.getTime() - FIRST_LOOK_BACK_MS,
          ).toISOString(),
          cursor: null,
        };

  const settled = await checkSettledPayments(env, window, now, meta);
  const overdue = await settleOverdueOrders(env, now, meta);
  const report: ReconciliationReport = {
    id,
    startedAt: now.toISOString(),
    finishedAt: new Date(Math.max(Date.now(), now.getTime())).toISOString(),
    paymentsSince: window.since,
    paymentsChecked: settled.checked,
    ordersChecked: overdue.checked,
    complete: settled.complete && overdue.complete,
    repairs: [...settled.repairs, ...overdue.repairs],
    problems: [...settled.problems, ...overdue.problems],
  };
  await saveRun(env.DB, report, { cursor: settled.cursor, complete: settled.complete });
  log(report.problems.length ? "error" : report.repairs.length ? "warn" : "info", {
    worker: "orders",
    msg: "reconciliation",
    ...report,
    repairs: report.repairs.slice(0, 20),
    problems: report.problems.slice(0, 20),
    repairCount: report.repairs.length,
    problemCount: report.problems.length,
  });
  return report;
}
