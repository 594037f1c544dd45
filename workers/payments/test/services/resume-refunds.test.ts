import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { paymentProvider } from "../../src/services/payments/gateway";
import { refundPayment } from "../../src/services/payments/refund";
import { RESUME_REFUNDS_AFTER_MS, resumePendingRefunds } from "../../src/services/payments/resume-refunds";
import { type PaymentProvider, ProviderUnavailableError } from "../../src/services/providers/provider";
import { harness } from "../helpers";
import { crashedRefund, money, paidPayment } from "./refund-crash";

type Harness = ReturnType<typeof harness>;

async function cron(h: Harness) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *" }), h.env, ctx);
  await waitOnExecutionContext(ctx);
}

function statusesOf(h: Harness, paymentId: string) {
  return h.events.filter((e) => e.body.data.paymentId === paymentId).map((e) => e.body.data.status);
}

/** The real (simulated) gateway, except that its refund endpoint behaves as given. */
function gatewayWhoseRefund(h: Harness, refund: PaymentProvider["refund"]): PaymentProvider {
  const real = paymentProvider(h.context());
  return Object.assign(Object.create(Object.getPrototypeOf(real)), real, { refund });
}

describe("cron: pending refunds are resumed", () => {
  it("a refund a crash left pending is settled by the cron once, however often it runs", async () => {
    const h = harness();
    const id = await paidPayment(h, 5000);
    const refundId = await crashedRefund(id, { amount: 5000, key: "orders-refund-1" });

    await cron(h);
    await cron(h);
    await resumePendingRefunds(h.context());

    expect(await money(id)).toMatchObject({
      amount_refunded: 5000,
      amount_refund_pending: 0,
      status: "refunded",
      refunds: [{ amount: 5000, status: "succeeded" }],
    });
    expect(statusesOf(h, id).filter((s) => s === "refunded")).toHaveLength(1);
    // The caller that started it (orders, retrying with its key) gets the settled refund, not a second one.
    const retried = await refundPayment(h.context(), {
      paymentId: id,
      reason: "requested_by_customer",
      idempotencyKey: "orders-refund-1",
    });
    expect(retried).toMatchObject({ ok: true, refundId, replayed: true, payment: { amountRefunded: 5000 } });
    expect(statusesOf(h, id).filter((s) => s === "refunded")).toHaveLength(1);
  });

  it("the cron and a live retry racing on the same pending refund settle it once", async () => {
    const h = harness();
    const id = await paidPayment(h, 4000);
    await crashedRefund(id, { amount: 1500, key: "race-key" });
    const ctx = h.context();
    await Promise.all([
      resumePendingRefunds(ctx),
      refundPayment(ctx, { paymentId: id, amount: 1500, reason: "requested_by_customer", idempotencyKey: "race-key" }),
      resumePendingRefunds(ctx),
    ]);
    expect(await money(id)).toMatchObject({
      amount_refunded: 1500,
      amount_refund_pending: 0,
      status: "partially_refunded",
      refunds: [{ amount: 1500, status: "succeeded" }],
    });
    expect(statusesOf(h, id).filter((s) => s === "partially_refunded")).toHaveLength(1);
  });

  it("a gateway outage after the reservation: the refund stays reserved, then the cron finishes it", async () => {
    const h = harness();
    const id = await paidPayment(h, 3000);
    const down = gatewayWhoseRefund(h, async () => {
      throw new ProviderUnavailableError("stripe: 503");
    });
    await expect(
      refundPayment(h.context({ gateway: down }), {
        paymentId: id,
        amount: 3000,
        reason: "requested_by_customer",
        idempotencyKey: "k-503",
      }),
    ).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await money(id)).toMatchObject({ amount_refunded: 0, amount_refund_pending: 3000 });

    // While reserved, nothing more can be refunded: the reservation counts against the payment.
    const more = await refundPayment(h.context(), {
      paymentId: id,
      amount: 1,
      reason: "again",
      idempotencyKey: "k-other",
    });
    expect(more).toMatchObject({ ok: false, code: "amount_too_large" });

    // Too young for the cron: it may still belong to a live request.
    expect(await resumePendingRefunds(h.context())).toMatchObject({ resumed: 0 });
    // The cron still cannot reach the gateway: it stays pending, nothing is lost.
    const later = Date.now() + RESUME_REFUNDS_AFTER_MS + 1_000;
    expect(await resumePendingRefunds(h.context({ gateway: down, now: later }))).toMatchObject({
      resumed: 1,
      stillPending: 1,
    });
    expect(await money(id)).toMatchObject({ amount_refund_pending: 3000, refunds: [{ status: "pending" }] });

    // The gateway is back.
    expect(await resumePendingRefunds(h.context({ now: later }))).toMatchObject({ resumed: 1, refunded: 1 });
    expect(await resumePendingRefunds(h.context({ now: later }))).toMatchObject({ resumed: 0 });
    expect(await money(id)).toMatchObject({
      amount_refunded: 3000,
      amount_refund_pending: 0,
      status: "refunded",
      refunds: [{ amount: 3000, status: "succeeded" }],
    });
    expect(statusesOf(h, id).filter((s) => s === "refunded")).toHaveLength(1);
  });

  it("a refund the gateway refuses is failed by the cron and its reservation given back", async () => {
    const h = harness();
    const id = await paidPayment(h, 2500);
    await crashedRefund(id, { amount: 1000, key: "refused-key" });
    const refusing = gatewayWhoseRefund(h, async () => ({ ok: false, message: "The charge was disputed." }));

    expect(await resumePendingRefunds(h.context({ gateway: refusing }))).toMatchObject({ resumed: 1, refused: 1 });
    expect(await money(id)).toMatchObject({
      amount_refunded: 0,
      amount_refund_pending: 0,
      status: "succeeded",
      refunds: [{ status: "failed" }],
    });
    expect(statusesOf(h, id).filter((s) => s !== "succeeded")).toEqual([]);
  });
});
