import { describe, expect, it } from "vitest";
import { createInput, harness } from "./helpers";

describe("PaymentsRpc.create with the simulated gateway", () => {
  it("pm_card_visa: processing, then succeeded through the event path, one event per change", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput());
    expect(created).toMatchObject({ status: "processing", amount: 2599, currency: "USD", amountRefunded: 0 });
    expect(h.simulated).toHaveLength(1);

    const result = await h.deliver();
    expect(result.explicitAcks).toHaveLength(1);
    expect(await h.rpc.get(created.paymentId)).toMatchObject({ status: "succeeded", failureMessage: null });
    expect(h.statuses()).toEqual(["processing", "succeeded"]);
    const last = h.events.at(-1)?.body;
    expect(last).toMatchObject({
      type: "payment.status_changed",
      version: 1,
      data: { paymentId: created.paymentId, orderId: created.orderId, status: "succeeded", amount: 2599 },
    });
    expect(new Set(h.events.map((e) => e.body.id)).size).toBe(h.events.length);
  });
});
