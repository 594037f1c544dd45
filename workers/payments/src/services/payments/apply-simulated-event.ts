import type { PaymentsContext } from "../../env";
import { simulatedProvider } from "../providers/select";
import type { SimulatedEvent } from "../providers/simulated";
import { type ApplyResult, applyProviderEvent, type ProviderEvent } from "./apply-provider-event";

const STATUS: Record<SimulatedEvent["type"], ProviderEvent["status"]> = {
  "payment_intent.succeeded": "succeeded",
  "payment_intent.payment_failed": "failed",
  "payment_intent.canceled": "cancelled",
  "payment_intent.processing": "processing",
};

/**
 * One simulated gateway event, as the simulator queue's consumer applies it; a dead-letter replay
 * runs exactly this too. A bank debit's settlement first moves the simulated intent (once), then,
 * like every other event, goes through applyProviderEvent exactly as a verified Stripe event does.
 */
export async function applySimulatedEvent(ctx: PaymentsContext, e: SimulatedEvent): Promise<ApplyResult> {
  const provider = simulatedProvider(ctx.env);
  if (e.settle) await provider.settle(e.providerRef, e.settle);
  const state = e.settle ? await provider.retrieve(e.providerRef) : null;
  return applyProviderEvent(ctx, {
    id: e.id,
    provider: "simulated",
    type: e.type,
    paymentId: e.paymentId,
    providerRef: e.providerRef,
    status: STATUS[e.type] ?? null,
    failureMessage: state?.failureMessage ?? e.failureMessage,
    failureCode: state?.failureCode ?? e.failureCode ?? null,
  });
}
