import type { PaymentEvent, PaymentSummary } from "@shop/contracts";
import { atomically } from "../../db/batch";
import type { Db } from "../../db/client";
import { publishChanges } from "../events/publish";
import type { PaymentProvider } from "../providers/provider";
import { findPayment } from "./get";
import { OPEN_STATUSES } from "./status";
import { toSummary } from "./summary";
import { transitionStatements } from "./transition";

export type CancelDeps = { db: Db; provider: PaymentProvider; events: Queue<PaymentEvent>; traceparent?: string };

/**
 * Cancels a payment that has not completed. The gateway is asked first (Stripe refuses once the
 * money is taken and we record what it says); then the conditional UPDATE races any concurrent
 * success in D1 and exactly one wins. Returns the final state: `succeeded` means money was taken.
 */
export async function cancelPayment(deps: CancelDeps, paymentId: string): Promise<PaymentSummary | null> {
  const { db } = deps;
  const row = await findPayment(db, paymentId);
  if (!row) return null;
  if (!OPEN_STATUSES.includes(row.status)) return toSummary(row);

  const outcome = row.providerRef ? await deps.provider.cancel(row.providerRef) : { status: "cancelled" as const };
  const { changeId, statements } = transitionStatements(db, {
    paymentId,
    to: outcome.status,
    traceparent: deps.traceparent,
    ...(outcome.status === "failed" ? { failureMessage: "The payment did not go through." } : {}),
  });
  await atomically(db, statements);
  await publishChanges(db, deps.events, [changeId]);
  const final = await findPayment(db, paymentId);
  return final ? toSummary(final) : null;
}
