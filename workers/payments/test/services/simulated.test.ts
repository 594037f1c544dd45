import { describe, expect, it } from "vitest";
import type { SimulatedEvent } from "../../src/services/providers/simulated";
import { createInput, harness } from "../helpers";

describe("simulated gateway: each test card reaches its outcome through the event path", () => {
  it.each([
    ["pm_card_visa", "succeeded", null],
    ["pm_card_mastercard", "succeeded", null],
    ["pm_card_chargeDeclined", "failed", "Your card was declined."],
    ["pm_card_chargeDeclinedInsufficientFunds", "failed", "Your card has insufficient funds."],
    ["pm_card_unknown", "failed", "This payment method is not accepted. Please use another card."],
  ])("%s → %s", async (paymentMethod, status, failureMessage) => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod }));
    expect(created.status).toBe("processing");
    expect(h.simulated).toHaveLength(1);
    expect(h.simulated[0]?.delaySeconds).toBeUndefined();

    const result = await h.deliver();
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    expect(await h.rpc.get(created.paymentId)).toMatchObject({ status, failureMessage });
    expect(h.events.map((e) => e.body.data)).toEqual([
      expect.objectContaining({ status: "processing" }),
      expect.objectContaining({ paymentId: created.paymentId, status, failureMessage }),
    ]);
  });

  it("pm_card_visa_delayed: the outcome is queued with a delay and then succeeds", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_visa_delayed" }));
    expect(h.simulated[0]?.delaySeconds).toBe(2);
    expect((await h.rpc.get(created.paymentId))?.status).toBe("processing");
    await h.deliver();
    expect((await h.rpc.get(created.paymentId))?.status).toBe("succeeded");
  });

  it("a redelivered outcome (same event id) is acknowledged and changes nothing", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput());
    const [message] = h.simulated.splice(0).map((m) => m.body) as [SimulatedEvent];
    await h.deliver([message]);
    const redelivered = await h.deliver([message, message, message]);
    expect(redelivered.explicitAcks).toHaveLength(3);
    expect((await h.rpc.get(created.paymentId))?.status).toBe("succeeded");
    expect(h.statuses()).toEqual(["processing", "succeeded"]);
  });

  it("no card data leaves the worker: payment events and the stored payment carry no payment method", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput());
    await h.deliver();
    expect(JSON.stringify(h.events)).not.toContain("pm_card");
    expect(JSON.stringify(await h.rpc.get(created.paymentId))).not.toContain("pm_card");
  });
});
