import { PaymentEvent, type QueueDeadLetter } from "@shop/contracts";
import { callerOf } from "@shop/runtime";
import { replayQueueDeadLetter } from "@shop/runtime/dead-letters";
import type { OrdersContext } from "../../env";
import { applyPaymentEvent } from "../orders/apply-payment-event";

/**
 * Replays a dead payment event into its order, once: through the same function the live
 * consumer uses, so the order DO de-duplicates it by event id (an event that did arrive after
 * all is a `duplicate`) and ignores it if it is stale. `replayOutcome` says which.
 */
export function replayPaymentEventDeadLetter(ctx: OrdersContext, input: { id: string }): Promise<QueueDeadLetter> {
  return replayQueueDeadLetter(ctx.env.DB, input.id, callerOf(ctx).userId, {
    parse: (body) => {
      const parsed = PaymentEvent.safeParse(body);
      return parsed.success ? parsed.data : null;
    },
    apply: (event) => applyPaymentEvent(ctx, event),
  });
}
