import { createScheduledController, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Order, ReconciliationReport } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
  call,
  checkout,
  createProduct,
  getOrder,
  paymentRow,
  type Shopper,
  shopper,
  stockOf,
  untilStatus,
} from "../helpers";

/**
 * Reconciliation against the real payments and products workers. "Every event was lost" is the
 * state payments and the simulated gateway reach when the shopper finishes 3-D Secure, written
 * straight into their databases with no webhook and no payment-events message: nothing but
 * reconciliation can tell orders.
 */

const THREE_DS = "pm_card_authenticationRequired";
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function orderStub(orderId: string) {
  return env.ORDER.get(env.ORDER.idFromName(orderId));
}

async function reconcileNow(admin: Shopper): Promise<ReconciliationReport> {
  const res = await call("POST", "/orders/reconciliation", { token: admin.token });
  expect(res.status).toBe(200);
  return (await res.json()) as ReconciliationReport;
}

async function placeAwaiting(me: Shopper, productId: string): Promise<Order & { paymentId: string }> {
  const placed = await checkout(me, [{ productId, quantity: 1 }], THREE_DS);
  expect(placed.status).toBe("awaiting_payment");
  expect(placed.payment.status).toBe("requires_action");
  return { ...placed, paymentId: placed.payment.paymentId ?? "" };
}

/** The bank approved the payment; the gateway's intent moved, and nobody was told. */
async function approveAtBank(paymentId: string) {
  await env.TEST_PAYMENTS_DB.prepare("UPDATE sim_intents SET status = 'succeeded' WHERE payment_id = ?1")
    .bind(paymentId)
    .run();
}

/** Payments recorded the success (its webhook arrived) but its payment-events never reached orders. */
async function recordSuccessWithoutEvents(paymentId: string, opts: { late?: boolean } = {}) {
  await approveAtBank(paymentId);
  await env.TEST_PAYMENTS_DB.prepare(
    `UPDATE payments SET status = 'succeeded', next_action_url = NULL, received_after_close = ?2, updated_at = ?3
     WHERE id = ?1`,
  )
    .bind(paymentId, opts.late ? 1 : 0, minutesAgo(3))
    .run();
}

async function refundsOf(paymentId: string): Promise<number> {
  const row = await env.TEST_PAYMENTS_DB.prepare("SELECT COUNT(*) AS n FROM refunds WHERE payment_id = ?1")
    .bind(paymentId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("reconciliation", () => {
  it("an order whose payment succeeded but whose events were all lost is paid after one run; a second run repairs nothing", async () => {
    const [me, admin] = [await shopper(), await shopper("admin")];
    const productId = await createProduct({ stock: 5 });
    const placed = await placeAwaiting(me, productId);
    await recordSuccessWithoutEvents(placed.paymentId);
    expect((await getOrder(me, placed.id)).status).toBe("awaiting_payment");

    const first = await reconcileNow(admin);
    expect(first.repairs).toContainEqual(
      expect.objectContaining({
        check: "settled_payment",
        orderId: placed.id,
        paymentId: placed.paymentId,
        from: "awaiting_payment",
        to: "paid",
      }),
    );
    expect(first.problems.filter((p) => p.orderId === placed.id)).toEqual([]);
    const paid = await getOrder(me, placed.id);
    expect(paid.status).toBe("paid");
    expect(paid.timeline.filter((e) => e.type === "order.paid")).toHaveLength(1);
    expect(await stockOf(productId)).toEqual({ onHand: 4, reserved: 0 });

    const second = await reconcileNow(admin);
    expect(second.repairs).toEqual([]);
    expect(second.paymentsChecked).toBeGreaterThanOrEqual(1);
    expect((await getOrder(me, placed.id)).timeline.filter((e) => e.type === "order.paid")).toHaveLength(1);
  });

  it("an expired order whose payment succeeded late (events lost) is refunded through the saga exactly once", async () => {
    const [me, admin] = [await shopper(), await shopper("admin")];
    const productId = await createProduct({ stock: 5 });
    const placed = await placeAwaiting(me, productId);
    await runInDurableObject(orderStub(placed.id), (_instance, state) => {
      state.storage.sql.exec("UPDATE order_state SET deadline_at = ?", Date.now() - 1000);
    });
    expect(await runDurableObjectAlarm(orderStub(placed.id))).toBe(true);
    await untilStatus(me, placed.id, "expired");
    expect((await paymentRow(placed.id))?.status).toBe("cancelled");

    // The bank completes the payment after all; payments records it as received late.
    await recordSuccessWithoutEvents(placed.paymentId, { late: true });

    const first = await reconcileNow(admin);
    expect(first.repairs).toContainEqual(
      expect.objectContaining({ check: "settled_payment", orderId: placed.id, to: "expired" }),
    );
    const payment = await paymentRow(placed.id);
    expect(payment).toMatchObject({ status: "refunded" });
    expect(payment?.amount_refunded).toBe(payment?.amount);
    expect(await refundsOf(placed.paymentId)).toBe(1);

    const second = await reconcileNow(admin);
    expect(second.repairs).toEqual([]);
    expect(await refundsOf(placed.paymentId)).toBe(1);
    const order = await getOrder(me, placed.id);
    expect(order.status).toBe("expired");
    expect(order.timeline.filter((e) => e.type === "payment.succeeded_late")).toHaveLength(1);
    expect(await stockOf(productId)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("an order past its deadline whose alarm never came is settled: the payment is asked of the provider first", async () => {
    const [me, admin] = [await shopper(), await shopper("admin")];
    const productId = await createProduct({ stock: 5 });
    const approved = await placeAwaiting(me, productId);
    const abandoned = await placeAwaiting(me, productId);
    // Approved at the bank (webhook lost: payments still says requires_action), and abandoned.
    await approveAtBank(approved.paymentId);
    for (const order of [approved, abandoned]) {
      await runInDurableObject(orderStub(order.id), (_instance, state) => {
        state.storage.sql.exec("UPDATE order_state SET deadline_at = ?", Date.now() - 3 * 60_000);
      });
      await env.DB.prepare("UPDATE orders SET payment_deadline = ?2 WHERE id = ?1").bind(order.id, minutesAgo(3)).run();
    }

    const report = await reconcileNow(admin);
    expect(report.ordersChecked).toBeGreaterThanOrEqual(2);
    expect(report.repairs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: "overdue_order", orderId: approved.id, to: "paid" }),
        expect.objectContaining({ check: "overdue_order", orderId: abandoned.id, to: "expired" }),
      ]),
    );
    expect((await getOrder(me, approved.id)).status).toBe("paid");
    expect((await getOrder(me, abandoned.id)).status).toBe("expired");
    expect((await paymentRow(approved.id))?.status).toBe("succeeded");
    expect((await paymentRow(abandoned.id))?.status).toBe("cancelled");
    expect(await stockOf(productId)).toEqual({ onHand: 4, reserved: 0 });

    const again = await reconcileNow(admin);
    expect(again.repairs.filter((r) => [approved.id, abandoned.id].includes(r.orderId))).toEqual([]);
  });

  it("the 5-minute cron runs it and the hourly one does not", async () => {
    const count = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM reconciliation_runs").first<{ n: number }>())?.n ?? 0;
    const before = await count();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env as never);
    expect(await count()).toBe(before);
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env as never);
    expect(await count()).toBe(before + 1);
  });
});
