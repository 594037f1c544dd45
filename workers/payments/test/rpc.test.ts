import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { simulatedProvider } from "../src/services/providers/select";
import { createInput, harness } from "./helpers";

async function paid(h: ReturnType<typeof harness>, amount = 5000) {
  const created = await h.rpc.create(createInput({ amount }));
  await h.deliver();
  return created.paymentId;
}

describe("create", () => {
  it("is idempotent by orderId: concurrent and repeated calls return one payment and queue one outcome", async () => {
    const h = harness();
    const input = createInput();
    const results = await Promise.all(Array.from({ length: 5 }, () => h.rpc.create(input)));
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    const again = await h.rpc.create({ ...input, amount: 1 });
    expect(again).toMatchObject({ paymentId: results[0]?.paymentId, amount: input.amount });
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM payments WHERE order_id = ?")
      .bind(input.orderId)
      .first();
    expect(rows?.n).toBe(1);
  });

  it("refuses malformed input instead of creating a payment", async () => {
    const h = harness();
    await expect(h.rpc.create(createInput({ amount: -5 }))).rejects.toThrow();
    await expect(h.rpc.create(createInput({ currency: "XXX" }))).rejects.toThrow();
    await expect(h.rpc.create(createInput({ orderId: "not-an-order" }))).rejects.toThrow();
    expect(h.events).toHaveLength(0);
  });
});

describe("cancel", () => {
  it("cancels a payment still waiting for the shopper, at the provider too: nothing is taken", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    const cancelled = await h.rpc.cancel(created.paymentId);
    expect(cancelled?.status).toBe("cancelled");
    await h.deliver();
    expect((await h.rpc.get(created.paymentId))?.status).toBe("cancelled");
    expect(h.statuses()).toEqual(["requires_action", "cancelled"]);
  });

  it("after a success returns succeeded (the caller must refund)", async () => {
    const h = harness();
    const id = await paid(h);
    expect((await h.rpc.cancel(id))?.status).toBe("succeeded");
    expect(h.statuses()).toEqual(["succeeded"]);
  });

  it("racing the shopper's approval: exactly one of them wins and cancel reports the winner", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    const intent = await env.DB.prepare("SELECT id, client_secret FROM sim_intents WHERE payment_id = ?")
      .bind(created.paymentId)
      .first<{ id: string; client_secret: string }>();
    const [cancelled] = await Promise.all([
      h.rpc.cancel(created.paymentId),
      simulatedProvider(h.env).authenticate(intent?.id ?? "", intent?.client_secret ?? "", "approve"),
    ]);
    await h.deliver();
    const final = await h.rpc.get(created.paymentId);
    expect(["cancelled", "succeeded"]).toContain(final?.status);
    expect(cancelled?.status).toBe(final?.status);
    expect(h.statuses()).toEqual(["requires_action", final?.status]);
  });

  it("unknown payment → null", async () => {
    expect(await harness().rpc.cancel("pay_01jd8x3v4k2m9q7r5t6w8y0zab")).toBeNull();
  });
});

describe("forOrder", () => {
  it("finds the one payment of an order, whatever its status; an order without one → null", async () => {
    const h = harness();
    const input = createInput();
    expect(await h.rpc.forOrder(input.orderId)).toBeNull();
    const created = await h.rpc.create(input);
    await h.deliver();
    expect(await h.rpc.forOrder(input.orderId)).toMatchObject({
      paymentId: created.paymentId,
      status: "succeeded",
      amount: input.amount,
    });
    expect(await h.rpc.forOrder(createInput().orderId)).toBeNull();
  });
});

describe("refund", () => {
  it("partial then the rest: partially_refunded, then refunded, one event each", async () => {
    const h = harness();
    const id = await paid(h, 5000);
    const first = await h.rpc.refund({ paymentId: id, amount: 2000, reason: "damaged", idempotencyKey: "k-1" });
    expect(first).toMatchObject({
      ok: true,
      replayed: false,
      payment: { status: "partially_refunded", amountRefunded: 2000 },
    });
    const rest = await h.rpc.refund({ paymentId: id, reason: "returned", idempotencyKey: "k-2" });
    expect(rest).toMatchObject({ ok: true, payment: { status: "refunded", amountRefunded: 5000 } });
    expect(h.statuses()).toEqual(["succeeded", "partially_refunded", "refunded"]);
  });

  it("is idempotent per key: a repeat replays without refunding again", async () => {
    const h = harness();
    const id = await paid(h, 5000);
    const input = { paymentId: id, amount: 1000, reason: "late", idempotencyKey: "same-key" };
    const [a, b] = await Promise.all([h.rpc.refund(input), h.rpc.refund(input)]);
    const c = await h.rpc.refund(input);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok && b.ok && c.ok) {
      expect(new Set([a.refundId, b.refundId, c.refundId]).size).toBe(1);
      expect(c.replayed).toBe(true);
      expect(c.payment.amountRefunded).toBe(1000);
    }
  });

  it("more than is left → amount_too_large; concurrent refunds never exceed the payment", async () => {
    const h = harness();
    const id = await paid(h, 5000);
    expect(await h.rpc.refund({ paymentId: id, amount: 5001, reason: "x", idempotencyKey: "big" })).toMatchObject({
      ok: false,
      code: "amount_too_large",
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        h.rpc.refund({ paymentId: id, amount: 1000, reason: "x", idempotencyKey: `k${i}` }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(["amount_too_large"]);
    expect(await h.rpc.get(id)).toMatchObject({ status: "refunded", amountRefunded: 5000 });
  });

  it("a payment that did not succeed is not refundable; an unknown one is not_found", async () => {
    const h = harness();
    const created = await h.rpc.create(createInput({ paymentMethod: "pm_card_authenticationRequired" }));
    expect(await h.rpc.refund({ paymentId: created.paymentId, reason: "x", idempotencyKey: "k" })).toMatchObject({
      ok: false,
      code: "not_refundable",
    });
    expect(
      await h.rpc.refund({ paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab", reason: "x", idempotencyKey: "k" }),
    ).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("status guard in the database", () => {
  it("refuses a direct write that would move a terminal payment backwards", async () => {
    const h = harness();
    const id = await paid(h);
    await expect(
      env.DB.prepare("UPDATE payments SET status = 'processing' WHERE id = ?").bind(id).run(),
    ).rejects.toThrow(/cannot move backwards/);
  });
});
