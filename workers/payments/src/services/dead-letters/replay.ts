import type { QueueDeadLetter } from "@shop/contracts";
import { callerOf } from "@shop/runtime";
import { replayQueueDeadLetter } from "@shop/runtime/dead-letters";
import type { PaymentsContext } from "../../env";
import { applySimulatedEvent } from "../payments/apply-simulated-event";
import { parseSimulatedEvent } from "./simulated-event";

/**
 * Replays a dead simulated gateway event, once, for its admin caller, through the very function
 * the simulator consumer runs: it is de-duplicated by event id (an event that did arrive after all
 * is a `duplicate`) and refused for a payment of another provider, exactly as a live delivery is.
 */
export function replaySimulatorDeadLetter(ctx: PaymentsContext, input: { id: string }): Promise<QueueDeadLetter> {
  return replayQueueDeadLetter(ctx.env.DB, input.id, callerOf(ctx).userId, {
    parse: parseSimulatedEvent,
    apply: (event) => applySimulatedEvent(ctx, event),
  });
}
