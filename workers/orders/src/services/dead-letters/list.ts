import { PaymentEvent, type QueueDeadLetterPage } from "@shop/contracts";
import { listQueueDeadLetters } from "@shop/runtime/dead-letters";

/** Dead payment events, newest first; only well-formed events can be replayed. */
export function listPaymentEventDeadLetters(
  d1: D1Database,
  page: { limit: number; cursor?: string | undefined; status?: "dead" | "replayed" | undefined },
): Promise<QueueDeadLetterPage> {
  return listQueueDeadLetters(d1, page, (body) => PaymentEvent.safeParse(body).success);
}
