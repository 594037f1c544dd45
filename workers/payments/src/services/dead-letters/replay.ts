import type { QueueDeadLetter } from "@shop/contracts";
import { replayQueueDeadLetter } from "@shop/runtime/dead-letters";
import type { PaymentsEnv } from "../../env";
import { applySimulatedEvent } from "../../queues/simulator";
import { parseSimulatedEvent } from "./simulated-event";

/**
 * Replays a dead simulated gateway event, once, through the very function the simulator
 * consumer runs: it is de-duplicated by event id (an event that did arrive after all is a
 * `duplicate`) and refused for a payment of another provider, exactly as a live delivery is.
 */
export function replaySimulatorDeadLetter(env: PaymentsEnv, id: string, adminId: string): Promise<QueueDeadLetter> {
  return replayQueueDeadLetter(env.DB, id, adminId, {
    parse: parseSimulatedEvent,
    apply: (event) => applySimulatedEvent(env, event),
  });
}
