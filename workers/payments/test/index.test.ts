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
    const mineUnsent = "FROM outbox WHERE json_extract(payload, '$.data.paymentId') = ?";
    const unsent = await env.DB.prepare(`SELECT id, attempts ${mineUnsent}`).bind(created.paymentId).all();
    // Kept, with the refusal counted and a retry time.
    expect(unsent.results).toEqual([{ id: expect.any(String), attempts: 1 }]);
    await env.DB.prepare(`UPDATE outbox SET next_at = ? WHERE id IN (SELECT id ${mineUnsent})`)
      .bind(Date.now() - 1, created.paymentId)
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
    expect((await env.DB.prepare(`SELECT id ${mineUnsent}`).bind(created.paymentId).all()).results).toEqual([]);
  });
});
