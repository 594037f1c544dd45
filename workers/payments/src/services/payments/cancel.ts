import type { PaymentSummary } from "@shop/contracts";
import { atomically } from "../../db/batch";
import type { PaymentsContext } from "../../env";
import { publishChanges } from "../events/publish";
import type { CancelResult } from "../providers/provider";
import { paymentEvents, paymentProvider } from "./gateway";
import { findPayment } from "./get";
import { OPEN_STATUSES } from "./status";
import { toSummary } from "./summary";
import { transitionStatements } from "./transition";

/**
 * Cancels a payment that has not completed. The gateway is asked first (Stripe refuses once the
 * money is taken and we record what it reports); then the conditional UPDATE races any concurrent
 * success in D1 and exactly one wins. Returns the final state: `succeeded` means money was taken.
 *
 * A payment with no provider reference may still have an intent at the gateway (create reached
 * it but its answer was lost): it is looked up by order id and cancelled there before we record
 * anything, so a cancel can never hide money that the gateway goes on to take.
 */
export async function cancelPayment(
  ctx: PaymentsContext,
  { paymentId }: { paymentId: string },
): Promise<PaymentSummary | null> {
  const { db } = ctx;
  const provider = paymentProvider(ctx);
  const row = await findPayment(db, paymentId);
  if (!row) return null;
  if (!OPEN_STATUSES.includes(row.status)) return toSummary(row);

  const providerRef = row.providerRef ?? (await provider.findByOrder(row.orderId))?.providerRef ?? null;
  const outcome: CancelResult = providerRef ? await provider.cancel(providerRef) : { status: "cancelled" };
  // The gateway never took it further than asking for a payment method: nothing was charged.
  const to = outcome.status === "requires_payment" ? "cancelled" : outcome.status;
  const { changeId, statements } = transitionStatements(db, {
    paymentId,
    to,
    providerRef,
    traceparent: ctx.meta.traceparent,
    ...(to === "failed" ? { failureMessage: row.failureMessage ?? "The payment did not go through." } : {}),
  });
  await atomically(db, statements);
  await publishChanges(db, paymentEvents(ctx.env), [changeId]);
  const final = await findPayment(db, paymentId);
  return final ? toSummary(final) : null;
}
