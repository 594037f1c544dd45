import { consumeDeadLetterBatch } from "@shop/runtime/dead-letters";
import type { PaymentsBindings } from "../env";

/** `payments-simulator-dlq`: declared only in the local and test configuration. */
export const SIMULATOR_DLQ = "payments-simulator-dlq";

/**
 * Consumer of `payments-simulator-dlq`: a simulated gateway outcome that exhausted its retries is
 * recorded for an admin to replay (`GET /payments/dead-letters`), logged as an error, and
 * acknowledged — never parked unread.
 */
export function consumeSimulatorDeadLetters(batch: MessageBatch<unknown>, env: PaymentsBindings): Promise<void> {
  return consumeDeadLetterBatch(batch, env.DB, { worker: "payments", queue: "payments-simulator" });
}
