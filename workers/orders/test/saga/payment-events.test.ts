import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { PaymentEvent } from "@shop/contracts";
import { describe, expect, it, vi } from "vitest";
import {
  checkout,
  createProduct,
  deliverPaymentEvents,
  getOrder,
  notificationsFor,
  paymentEventsOf,
  paymentRow,
  shopper,
  stockOf,
  untilNotified,
  untilStatus,
} from "../helpers";

function orderStub(orderId: string) {
  return env.ORDER.get(env.ORDER.idFromName(orderId));
}

/** Moves the order's payment deadline into the past and runs its alarm, as time passing would. */
async function passDeadline(orderId: string) {
  const stub = orderStub(orderId);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE order_state SET deadline_at = ?", Date.now() - 1000);
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe("payment events", () => {
  it("each event delivered 5 times, out of order and concurrently, moves the order once", async () => {
    const me = await shopper();
    const kettle = await createProduct({ stock: 6 });
    // A bank debit: `processing`, then settled by an event, so there are two events to replay.
    const placed = await checkout(me, [{ productId: kettle, quantity: 2 }], "pm_usBankAccount_success");
    const paymentId = placed.payment.paymentId ?? "";
    const events = await vi.waitFor(
      async () => {
        const all = await paymentEventsOf(paymentId);
        if (!all.some((e) => e.data.status === "succeeded")) throw new Error("no success yet");
        return all;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(events.map((e) => e.data.status)).toEqual(expect.arrayContaining(["processing", "succeeded"]));
    const deliveries = shuffled(events.flatMap((e) => Array.from({ length: 5 }, () => e)));
    const results = await Promise.all([
      deliverPaymentEvents(deliveries.slice(0, 4)),
      deliverPaymentEvents(deliveries.slice(4)),
      deliverPaymentEvents([...deliveries].reverse()),
    ]);
    for (const r of results) expect(r.explicitAcks.length).toBeGreaterThan(0);

    const paid = await untilStatus(me, placed.id, "paid");
    expect(paid.timeline.filter((e) => e.type === "order.paid")).toHaveLength(1);
    expect(paid.timeline.filter((e) => e.type === "payment.succeeded")).toHaveLength(1);
    expect(await stockOf(kettle)).toEqual({ onHand: 4, reserved: 0 });
    await untilNotified(me.userId, "order.confirmed");
    expect((await notificationsFor(me.userId)).filter((m) => m.type === "order.confirmed")).toHaveLength(1);

    // A stale "processing" after the fact changes nothing.
    const processing = events.find((e) => e.data.status === "processing") as PaymentEvent;
    await deliverPaymentEvents([{ ...processing, id: `evt_stale_${crypto.randomUUID()}` }]);
    expect((await getOrder(me, placed.id)).status).toBe("paid");
  });

  it("acknowledges a malformed message instead of retrying it forever", async () => {
    const result = await deliverPaymentEvents([{ hello: "world" }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });

  it("an event for an unknown order is acknowledged and creates nothing", async () => {
    const event = {
      id: `evt_${crypto.randomUUID()}`,
      type: "payment.status_changed",
      version: 1,
      occurredAt: new Date().toISOString(),
      data: {
        paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
        orderId: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
        userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zab",
        status: "succeeded",
        amount: 100,
        currency: "USD",
        amountRefunded: 0,
        failureMessage: null,
      },
    };
    const result = await deliverPaymentEvents([event]);
    expect(result.explicitAcks).toHaveLength(1);
  });
});

describe("payment deadline", () => {
  it("an unpaid order expires at its deadline: payment cancelled, stock released, shopper told", async () => {
    const me = await shopper();
    const chair = await createProduct({ stock: 3 });
    // 3-D Secure that the shopper never completes.
    const placed = await checkout(me, [{ productId: chair, quantity: 2 }], "pm_card_authenticationRequired");
    expect(placed.status).toBe("awaiting_payment");
    expect(await stockOf(chair)).toEqual({ onHand: 3, reserved: 2 });

    await passDeadline(placed.id);
    const expired = await getOrder(me, placed.id);
    expect(expired.status).toBe("expired");
    expect(expired.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(["order.expired", "stock.released"]));
    expect(await stockOf(chair)).toEqual({ onHand: 3, reserved: 0 });
    expect((await paymentRow(placed.id))?.status).toBe("cancelled");
    // …and cancelled at the provider too, so the shopper can no longer complete it.
    const intent = await env.TEST_PAYMENTS_DB.prepare("SELECT status FROM sim_intents WHERE order_id = ?1")
      .bind(placed.id)
      .first<{ status: string }>();
    expect(intent?.status).toBe("canceled");
    const notes = await untilNotified(me.userId, "order.expired");
    expect(notes.find((m) => m.type === "order.expired")?.data).toEqual({
      orderId: placed.id,
      number: placed.number,
      payment: "none",
    });
  });

  it("a payment that succeeds after expiry is refunded automatically", async () => {
    const me = await shopper();
    const desk = await createProduct({ stock: 2, price: 4000 });
    // A bank debit settles two seconds after it was placed.
    const placed = await checkout(me, [{ productId: desk, quantity: 1 }], "pm_usBankAccount_success");
    // Given an order that expired while its cancellation never reached the gateway (payments'
    // atomic cancel normally prevents this; the order must still never keep money without a sale):
    const stub = orderStub(placed.id);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE order_state SET status = 'expired'");
      state.storage.sql.exec("INSERT INTO tasks (name, next_at) VALUES ('release', 0)");
    });
    await runDurableObjectAlarm(stub);
    expect(await stockOf(desk)).toEqual({ onHand: 2, reserved: 0 });

    // …the delayed success arrives through the real payments worker and queue.
    const refunded = await vi.waitFor(
      async () => {
        const order = await getOrder(me, placed.id);
        if (!order.timeline.some((e) => e.type === "payment.refunded")) throw new Error("not refunded yet");
        return order;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(refunded.status).toBe("expired");
    expect(refunded.payment.amountRefunded).toBe(4000);
    expect(refunded.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(["payment.succeeded_late", "payment.refunded"]),
    );
    expect(await paymentRow(placed.id)).toMatchObject({ status: "refunded", amount_refunded: 4000 });

    // Redelivering the success changes nothing: one refund.
    const events = await paymentEventsOf(placed.payment.paymentId ?? "");
    await deliverPaymentEvents([...events, ...events]);
    expect((await getOrder(me, placed.id)).timeline.filter((e) => e.type === "payment.refunded")).toHaveLength(1);
    const refunds = (await untilNotified(me.userId, "order.refunded")).filter((m) => m.type === "order.refunded");
    expect(refunds).toEqual([
      expect.objectContaining({
        data: { orderId: placed.id, number: placed.number, amount: 4000, currency: "USD", reason: "late_payment" },
      }),
    ]);
  });

  it("a payment that succeeded by the deadline is kept: the order is paid, not expired", async () => {
    const me = await shopper();
    const rug = await createProduct({ stock: 2 });
    const placed = await checkout(me, [{ productId: rug, quantity: 1 }], "pm_usBankAccount_success");
    // The success lands in payments just before the deadline, but its event is still on the way.
    await env.TEST_PAYMENTS_DB.prepare("UPDATE payments SET status = 'succeeded' WHERE order_id = ?1")
      .bind(placed.id)
      .run();
    await passDeadline(placed.id);
    const order = await getOrder(me, placed.id);
    expect(order.status).toBe("paid");
    expect(await stockOf(rug)).toEqual({ onHand: 1, reserved: 0 });
  });
});
