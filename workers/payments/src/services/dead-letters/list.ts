import type { QueueDeadLetterPage } from "@shop/contracts";
import { listQueueDeadLetters } from "@shop/runtime/dead-letters";
import type { PaymentsContext } from "../../env";
import { parseSimulatedEvent } from "./simulated-event";

/** Dead simulated gateway events, newest first; only well-formed ones can be replayed. */
export function listSimulatorDeadLetters(
  ctx: PaymentsContext,
  page: { limit: number; cursor?: string | undefined; status?: "dead" | "replayed" | undefined },
): Promise<QueueDeadLetterPage> {
  return listQueueDeadLetters(ctx.env.DB, page, (body) => parseSimulatedEvent(body) !== null);
}
