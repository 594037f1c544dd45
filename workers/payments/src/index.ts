import { forgetExpiredIdempotencyRecords, log, meterD1 } from "@shop/runtime";
import { app } from "./app";
import { database } from "./db/client";
import type { PaymentsEnv } from "./env";
import { handleSimulatorBatch } from "./queues/simulator";
import { consumeSimulatorDeadLetters, SIMULATOR_DLQ } from "./queues/simulator-dlq";
import { paymentEventsOutbox } from "./services/events/publish";
import { paymentDeps, paymentEvents } from "./services/payments/deps";
import { resumePendingRefunds } from "./services/payments/resume-refunds";
import { syncOpenPayments } from "./services/payments/sync-open-payments";
import type { SimulatedEvent } from "./services/providers/simulated";

export { PaymentsRpc } from "./rpc";

// Workers require a default export: the HTTP app, the simulated gateway's queue consumer and its
// dead-letter queue's (both local and test configuration only), and
// the cron that drains unsent payment events and forgets expired idempotency keys.
export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<SimulatedEvent>, env: PaymentsEnv, _ctx: ExecutionContext) {
    // Two consumers, one handler: the dead-letter queue's batches name it; all others are the simulator's.
    if (batch.queue.startsWith(SIMULATOR_DLQ)) await consumeSimulatorDeadLetters(batch, meterD1(env));
    else await handleSimulatorBatch(batch, meterD1(env));
  },
  async scheduled(_controller: ScheduledController, env: PaymentsEnv, _ctx: ExecutionContext) {
    const db = database(env.DB);
    const sent = await paymentEventsOutbox.drain(db, paymentEvents(env));
    await forgetExpiredIdempotencyRecords(env.DB);
    if (sent) log("info", { worker: "payments", msg: "drained payment events", sent });
    // After the jobs above: it needs a provider, and a misconfigured one must not stop them.
    const refunds = await resumePendingRefunds(paymentDeps(env));
    if (refunds.resumed) log("info", { worker: "payments", msg: "resumed pending refunds", ...refunds });
    // Open payments whose gateway events never came: ask the provider (reconciliation).
    const synced = await syncOpenPayments(paymentDeps(env));
    const level = synced.failed ? "warn" : "info";
    if (synced.checked) log(level, { worker: "payments", msg: "synced open payments", ...synced });
  },
} satisfies ExportedHandler<PaymentsEnv, SimulatedEvent>;
