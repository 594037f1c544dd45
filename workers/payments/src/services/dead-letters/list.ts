import type { QueueDeadLetterPage } from "@shop/contracts";
import { listQueueDeadLetters } from "@shop/runtime/dead-letters";
import { parseSimulatedEvent } from "./simulated-event";

/** Dead simulated gateway events, newest first; only well-formed ones can be replayed. */
export function listSimulatorDeadLetters(
  d1: D1Database,
  page: { limit: number; cursor?: string | undefined; status?: "dead" | "replayed" | undefined },
): Promise<QueueDeadLetterPage> {
  return listQueueDeadLetters(d1, page, (body) => parseSimulatedEvent(body) !== null);
}
