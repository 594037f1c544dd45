import { meterD1 } from "@shop/runtime";
import { app } from "./app";
import type { PaymentsBindings } from "./env";
import { handleSimulatorBatch } from "./queues/simulator";
import { consumeSimulatorDeadLetters, SIMULATOR_DLQ } from "./queues/simulator-dlq";
import { scheduled } from "./scheduled";
import type { SimulatedEvent } from "./services/providers/simulated";

export { PaymentsRpc } from "./rpc";

// Workers require a default export: the HTTP app, the simulated gateway's queue consumer and its
// dead-letter queue's (both local and test configuration only), and the cron (scheduled.ts).
export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<SimulatedEvent>, env: PaymentsBindings, ctx: ExecutionContext) {
    // Two consumers, one handler: the dead-letter queue's batches name it; all others are the simulator's.
    if (batch.queue.startsWith(SIMULATOR_DLQ)) await consumeSimulatorDeadLetters(batch, meterD1(env));
    else await handleSimulatorBatch(batch, meterD1(env), ctx);
  },
  scheduled,
} satisfies ExportedHandler<PaymentsBindings, SimulatedEvent>;
