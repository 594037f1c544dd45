import { describe, expect, it } from "vitest";
import {
  checkout,
  createProduct,
  getOrder,
  paymentRow,
  shopper,
  stockOf,
  untilNotified,
  untilStatus,
} from "../helpers";

/**
 * Every shape `payments.create` can answer, through the real payments worker (simulated
 * provider, which answers as Stripe does for its test payment methods).
 */
describe("the saga accepts whatever the provider answers", () => {
  it("a card charged synchronously is paid in the answer to POST /orders, stock committed", async () => {
    const me = await shopper();
    const mug = await createProduct({ stock: 5, price: 1250 });
    const placed = await checkout(me, [{ productId: mug, quantity: 2 }], "pm_card_amex");
    expect(placed.status).toBe("paid");
    expect(placed.payment.status).toBe("succeeded");
    expect(await stockOf(mug)).toEqual({ onHand: 3, reserved: 0 });
    // Stripe's webhook for the same success arrives afterwards and changes nothing.
    const order = await getOrder(me, placed.id);
    expect(order.timeline.filter((e) => e.type === "order.paid")).toHaveLength(1);
    expect(
      (await untilNotified(me.userId, "order.confirmed")).filter((m) => m.type === "order.confirmed"),
    ).toHaveLength(1);
  });

  it("3-D Secure: the order waits with the bank's page to show; stock stays held", async () => {
    const me = await shopper();
    const lamp = await createProduct({ stock: 4, price: 900 });
    const placed = await checkout(me, [{ productId: lamp, quantity: 1 }], "pm_card_authenticationRequired");
    expect(placed.status).toBe("awaiting_payment");
    expect(placed.payment.status).toBe("requires_action");
    const url = new URL(placed.payment.nextAction?.url ?? "");
    expect(url.pathname).toMatch(/^\/payments\/authenticate\/pi_sim_/);
    expect(url.searchParams.get("client_secret")?.length).toBeGreaterThan(20);
    expect(await stockOf(lamp)).toEqual({ onHand: 4, reserved: 1 });
  });

  it.each([
    ["pm_card_chargeDeclinedExpiredCard", "expired_card"],
    ["pm_card_unknownThing", "resource_missing"],
  ])("%s ends payment_failed at once (%s) with the stock released", async (paymentMethod, code) => {
    const me = await shopper();
    const lamp = await createProduct({ stock: 4, price: 900 });
    const placed = await checkout(me, [{ productId: lamp, quantity: 2 }], paymentMethod);
    expect(placed.status).toBe("payment_failed");
    expect(placed.payment.status).toBe("failed");
    await untilStatus(me, placed.id, "payment_failed");
    expect(await stockOf(lamp)).toEqual({ onHand: 4, reserved: 0 });
    const messages = await untilNotified(me.userId, "payment.failed");
    expect(messages.find((m) => m.type === "payment.failed")?.data).toMatchObject({ failureCode: code });
  });

  it("an amount below the provider's minimum is a permanent failure: payment_failed, not a retry loop", async () => {
    const me = await shopper();
    const sticker = await createProduct({ stock: 4, price: 30 });
    const placed = await checkout(me, [{ productId: sticker, quantity: 1 }]);
    expect(placed.status).toBe("payment_failed");
    expect((await paymentRow(placed.id))?.status).toBe("failed");
    expect(await stockOf(sticker)).toEqual({ onHand: 4, reserved: 0 });
  });

  it("a bank debit is processing, then paid when it settles", async () => {
    const me = await shopper();
    const lamp = await createProduct({ stock: 4, price: 900 });
    const placed = await checkout(me, [{ productId: lamp, quantity: 1 }], "pm_usBankAccount_success");
    expect(placed.status).toBe("awaiting_payment");
    expect(placed.payment.status).toBe("processing");
    await untilStatus(me, placed.id, "paid");
    expect(await stockOf(lamp)).toEqual({ onHand: 3, reserved: 0 });
  });

  it("a zero total is accepted without a payment and committed", async () => {
    const me = await shopper();
    const freebie = await createProduct({ stock: 4, price: 0 });
    const placed = await checkout(me, [{ productId: freebie, quantity: 1 }]);
    expect(placed.status).toBe("paid");
    expect(placed.payment.paymentId).toBeNull();
    expect(placed.timeline.map((e) => e.type)).toContain("payment.not_required");
    expect(await paymentRow(placed.id)).toBeNull();
    expect(await stockOf(freebie)).toEqual({ onHand: 3, reserved: 0 });
  });
});
