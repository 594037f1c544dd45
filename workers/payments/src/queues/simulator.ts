import { injectFault, log } from "@shop/runtime";
import { database } from "../db/client";
import type { PaymentsEnv } from "../env";
import { applyProviderEvent } from "../services/payments/apply-provider-event";
import { paymentEvents } from "../services/payments/deps";
import type { SimulatedEvent } from "../services/providers/simulated";

/**
 * Consumer of `payments-simulator`: the simulated gateway's "webhook". Each message goes through
 * applyProviderEvent, exactly like a verified Stripe event; redeliveries are de-duplicated there.
 */
export async function handleSimulatorBatch(batch: MessageBatch<SimulatedEvent>, env: PaymentsEnv): Promise<void> {
  const deps = { db: database(env.DB), events: paymentEvents(env) };
  for (const message of batch.messages) {
    const e = message.body;
    try {
      await injectFault(env, "payments.simulator.consume");
      const result = await applyProviderEvent(deps, {
        id: e.id,
        provider: "simulated",
        type: e.type,
        paymentId: e.paymentId,
        providerRef: e.providerRef,
        status: e.type === "payment_intent.succeeded" ? "succeeded" : "failed",
        failureMessage: e.failureMessage,
      });
      log("info", { worker: "payments", msg: "simulated outcome", eventId: e.id, paymentId: e.paymentId, result });
      message.ack();
    } catch (err) {
      log("error", { worker: "payments", msg: "simulated outcome failed", eventId: e.id, error: String(err) });
      message.retry({ delaySeconds: 2 });
    }
  }
}
