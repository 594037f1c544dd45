import { forgetExpiredIdempotencyRecords, log } from "@shop/runtime";
import { type PaymentsBindings, paymentsContext } from "./env";
import { drainPaymentEvents } from "./services/events/publish";
import { paymentEvents } from "./services/payments/gateway";
import { resumePendingRefunds } from "./services/payments/resume-refunds";
import { syncOpenPayments } from "./services/payments/sync-open-payments";

/**
 * Cron (every minute): drains unsent payment events, forgets expired idempotency keys, resumes
 * refunds a crash left pending and asks the provider about payments whose events never came.
 */
export async function scheduled(
  _controller: ScheduledController,
  env: PaymentsBindings,
  execution: ExecutionContext,
): Promise<void> {
  const ctx = paymentsContext(env, execution);
  const sent = await drainPaymentEvents(ctx.db, paymentEvents(env));
  await forgetExpiredIdempotencyRecords(env.DB);
  if (sent) log("info", { worker: "payments", msg: "drained payment events", sent });
  // After the jobs above: it needs a provider, and a misconfigured one must not stop them.
  const refunds = await resumePendingRefunds(ctx);
  if (refunds.resumed) log("info", { worker: "payments", msg: "resumed pending refunds", ...refunds });
  // Open payments whose gateway events never came: ask the provider (reconciliation).
  const synced = await syncOpenPayments(ctx);
  const level = synced.failed ? "warn" : "info";
  if (synced.checked) log(level, { worker: "payments", msg: "synced open payments", ...synced });
}
