import { log, meterD1 } from "@shop/runtime";
import { app } from "./app";
import { database } from "./db/client";
import type { PaymentsEnv } from "./env";
import { handleSimulatorBatch } from "./queues/simulator";
import { drainOutbox } from "./services/events/publish";
import { expireIdempotencyKeys } from "./services/idempotency/run-idempotent";
import { paymentEvents } from "./services/payments/deps";
import type { SimulatedEvent } from "./services/providers/simulated";

export { PaymentsRpc } from "./rpc";

// Workers require a default export: the HTTP app, the simulated gateway's queue consumer, and
// the cron that drains unsent payment events and forgets expired idempotency keys.
export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<SimulatedEvent>, env: PaymentsEnv, _ctx: ExecutionContext) {
    await handleSimulatorBatch(batch, meterD1(env));
  },
  async scheduled(_controller: ScheduledController, env: PaymentsEnv, _ctx: ExecutionContext) {
    const db = database(env.DB);
    const sent = await drainOutbox(db, paymentEvents(env));
    await expireIdempotencyKeys(db);
    if (sent) log("info", { worker: "payments", msg: "drained payment events", sent });
  },
} satisfies ExportedHandler<PaymentsEnv, SimulatedEvent>;
