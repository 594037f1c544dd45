import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  call,
  checkout,
  createProduct,
  notificationsFor,
  paymentRow,
  shopper,
  stockOf,
  untilNotified,
  untilStatus,
} from "../helpers";

describe("checkout end to end (real products and payments workers)", () => {
  it("reaches paid: stock committed, cart emptied, confirmation queued, history updated", async () => {
    const me = await shopper();
    const mug = await createProduct({ stock: 5, price: 1250 });
    const tea = await createProduct({ stock: 3, price: 800 });
    const placed = await checkout(me, [
      { productId: mug, quantity: 2 },
      { productId: tea, quantity: 1 },
    ]);
    expect(placed.id).toMatch(/^ord_/);
    expect(["awaiting_payment", "paid"]).toContain(placed.status);
    expect(placed.total).toEqual({ amount: 3300, currency: "USD" });
    expect(placed.lines.map((l) => [l.productId, l.quantity, l.unitPrice.amount])).toEqual([
      [mug, 2, 1250],
      [tea, 1, 800],
    ]);
    expect(placed.payment.paymentId).toMatch(/^pay_/);

    const paid = await untilStatus(me, placed.id, "paid");
    expect(paid.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(["order.created", "stock.reserved", "payment.created", "payment.succeeded", "order.paid"]),
    );
    expect(await stockOf(mug)).toEqual({ onHand: 3, reserved: 0 });
    expect(await stockOf(tea)).toEqual({ onHand: 2, reserved: 0 });
    expect((await paymentRow(placed.id))?.status).toBe("succeeded");

    const messages = await untilNotified(me.userId, "order.confirmed");
    const confirmed = messages.filter((m) => m.type === "order.confirmed");
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]?.data).toMatchObject({ orderId: placed.id, total: { amount: 3300, currency: "USD" } });

    const cart = (await (await call("GET", "/cart", { token: me.token })).json()) as { lines: unknown[] };
    expect(cart.lines).toEqual([]);

    const history = (await (await call("GET", "/orders", { token: me.token })).json()) as {
      items: { id: string; status: string }[];
    };
    expect(history.items).toEqual([expect.objectContaining({ id: placed.id, status: "paid" })]);
    expect((await notificationsFor(me.userId)).map((m) => m.type)).not.toContain("payment.failed");
  });

  it("the history is brought up to date with only what changed since it was last written", async () => {
    const me = await shopper();
    const mug = await createProduct({ stock: 5, price: 1250 });
    const placed = await checkout(me, [{ productId: mug, quantity: 1 }]);
    await untilStatus(me, placed.id, "paid");
    const types = async () =>
      (
        await env.DB.prepare("SELECT type FROM order_events WHERE order_id = ?1 ORDER BY seq").bind(placed.id).all<{
          type: string;
        }>()
      ).results.map((r) => r.type);
    expect(await types()).toContain("order.paid");
    // Rows written earlier are not written again: take some away, then change the order.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM order_events WHERE order_id = ?1 AND type = 'order.created'").bind(placed.id),
      env.DB.prepare("DELETE FROM order_lines WHERE order_id = ?1").bind(placed.id),
    ]);
    const cancelled = await call("POST", `/orders/${placed.id}/cancel`, { token: me.token, body: {} });
    expect(cancelled.status).toBe(200);
    const after = await types();
    expect(after).not.toContain("order.created");
    expect(after).toContain("order.cancelled");
    const lines = await env.DB.prepare("SELECT COUNT(*) AS n FROM order_lines WHERE order_id = ?1")
      .bind(placed.id)
      .first<{ n: number }>("n");
    expect(lines).toBe(0);
    const row = await env.DB.prepare("SELECT status FROM orders WHERE id = ?1").bind(placed.id).first("status");
    expect(["cancelled", "refunded"]).toContain(row);
  });

  it("declined card: payment_failed, stock released, the shopper is told", async () => {
    const me = await shopper();
    const lamp = await createProduct({ stock: 4 });
    const placed = await checkout(me, [{ productId: lamp, quantity: 3 }], "pm_card_chargeDeclined");
    const failed = await untilStatus(me, placed.id, "payment_failed");
    expect(failed.payment.failureMessage).toBe("Your card was declined.");
    expect(await stockOf(lamp)).toEqual({ onHand: 4, reserved: 0 });
    const messages = await untilNotified(me.userId, "payment.failed");
    expect(messages.find((m) => m.type === "payment.failed")?.data).toEqual({
      orderId: placed.id,
      number: placed.number,
      reason: "Your card was declined.",
      failureCode: "card_declined",
    });
  });
});
