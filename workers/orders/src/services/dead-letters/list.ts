import { PaymentEvent, type QueueDeadLetterPage } from "@shop/contracts";
import { listQueueDeadLetters } from "@shop/runtime/dead-letters";
import type { OrdersContext } from "../../env";

/** Dead payment events, newest first; only well-formed events can be replayed. */
export function listPaymentEventDeadLetters(
  ctx: OrdersContext,
  page: { limit: number; cursor?: string | undefined; status?: "dead" | "replayed" | undefined },
): Promise<QueueDeadLetterPage> {
  return listQueueDeadLetters(ctx.env.DB, page, (body) => PaymentEvent.safeParse(body).success);
}
