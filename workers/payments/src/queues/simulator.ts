import { injectFault, log } from "@shop/runtime";
import { database } from "../db/client";
import type { PaymentsEnv } from "../env";
import { type ApplyResult, applyProviderEvent, type ProviderEvent } from "../services/payments/apply-provider-event";
import { paymentEvents } from "../services/payments/deps";
import { simulatedProvider } from "../services/providers/select";
import type { SimulatedEvent } from "../services/providers/simulated";

const STATUS: Record<SimulatedEvent["type"], ProviderEvent["status"]> = {
  "payment_intent.succeeded": "succeeded",
  "payment_intent.payment_failed": "failed",
  "payment_intent.canceled": "cancelled",
  "payment_intent.processing": "processing",
};

/**
 * Consumer of `payments-simulator` (local and test configuration only): the simulated gateway's
 * "webhooks". A bank debit's settlement first moves the simulated intent (once), then, like every
 * other message, goes through applyProviderEvent exactly as a verified Stripe event does;
 * redeliveries are de-duplicated there, and an event naming a payment of another provider is
 * refused there.
 */
export async function handleSimulatorBatch(batch: MessageBatch<SimulatedEvent>, env: PaymentsEnv): Promise<void> {
  for (const message of batch.messages) {
    const e = message.body;
    try {
      await injectFault(env, "payments.simulator.consume");
      const result = await applySimulatedEvent(env, e);
      log("info", { worker: "payments", msg: "simulated outcome", eventId: e.id, paymentId: e.paymentId, result });
      message.ack();
    } catch (err) {
      log("error", { worker: "payments", msg: "simulated outcome failed", eventId: e.id, error: String(err) });
      message.retry({ delaySeconds: 2 });
    }
  }
}

/** One simulated event, as the consumer applies it; a dead-letter replay runs exactly this too. */
export async function applySimulatedEvent(env: PaymentsEnv, e: SimulatedEvent): Promise<ApplyResult> {
  const deps = { db: database(env.DB), events: paymentEvents(env) };
  const provider = simulatedProvider(env);
  if (e.settle) await provider.settle(e.providerRef, e.settle);
  const state = e.settle ? await provider.retrieve(e.providerRef) : null;
  return applyProviderEvent(deps, {
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
