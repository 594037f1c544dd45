import { injectFault, log } from "@shop/runtime";
import { type PaymentsBindings, paymentsContext } from "../env";
import { applySimulatedEvent } from "../services/payments/apply-simulated-event";
import type { SimulatedEvent } from "../services/providers/simulated";

/**
 * Consumer of `payments-simulator` (local and test configuration only): the simulated gateway's
 * "webhooks". Each message goes through `applySimulatedEvent` with a context of its own;
 * redeliveries are de-duplicated there, and an event naming a payment of another provider is
 * refused there.
 */
export async function handleSimulatorBatch(
  batch: MessageBatch<SimulatedEvent>,
  env: PaymentsBindings,
  execution: ExecutionContext,
): Promise<void> {
  for (const message of batch.messages) {
    const e = message.body;
    try {
      await injectFault(env, "payments.simulator.consume");
      const result = await applySimulatedEvent(paymentsContext(env, execution), e);
      log("info", { worker: "payments", msg: "simulated outcome", eventId: e.id, paymentId: e.paymentId, result });
      message.ack();
    } catch (err) {
      log("error", { worker: "payments", msg: "simulated outcome failed", eventId: e.id, error: String(err) });
      message.retry({ delaySeconds: 2 });
    }
  }
}
