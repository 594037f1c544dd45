import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { createInput, harness } from "./helpers";

describe("cron: outbox drain", () => {
  it("a payment event whose send failed is sent later by the drain, once", async () => {
    const broken = {
      async send() {
        throw new Error("queue unavailable");
      },
      async sendBatch() {
        throw new Error("queue unavailable");
      },
    } as unknown as Queue;
    const h = harness({ PAYMENT_EVENTS: broken });
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_usBankAccount_success" }));
    // The status change is durable even though the event could not be sent.
    expect((await h.rpc.get(created.paymentId))?.status).toBe("processing");
    const unsent = await env.DB.prepare("SELECT id FROM payment_events_outbox WHERE payment_id = ? AND sent_at IS NULL")
      .bind(created.paymentId)
      .all();
    expect(unsent.results).toHaveLength(1);
    await env.DB.prepare("UPDATE payment_events_outbox SET created_at = ? WHERE payment_id = ?")
      .bind(new Date(Date.now() - 60_000).toISOString(), created.paymentId)
      .run();

    const later = harness();
    const run = async () => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: "* * * * *" }), later.env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await run();
    await run();
    const mine = later.events.filter((e) => e.body.data.paymentId === created.paymentId);
    expect(mine.map((e) => [e.body.id, e.body.data.status])).toEqual([[unsent.results[0]?.id, "processing"]]);
  });
});
