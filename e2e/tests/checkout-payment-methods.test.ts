import { beforeAll, expect, it } from "vitest";
import { call, registerAndLogin } from "../support/http";
import { describeEachMode } from "../support/modes";
import { answerAuthentication, nextActionUrl, paymentOf, settleBankDebit } from "../support/payments";
import { addToCart, createProduct, placeOrder, settle, stockOf } from "../support/shop";

/**
 * Every shape a Stripe payment takes, through the whole system, in each provider mode: a card
 * that succeeds at once, 3-D Secure approved or failed by the shopper on the bank's page, a bank
 * debit that settles later, and a decline with Stripe's code. Stock follows the money: committed
 * when paid, given back when the payment fails.
 */
describeEachMode("checkout: every payment shape", (mode) => {
  let token: string;
  beforeAll(async () => {
    token = (await registerAndLogin(`shapes-${mode}`)).accessToken;
  });

  /** One unit of a fresh product (stock 5) ordered with `paymentMethod`. */
  async function order(paymentMethod: string) {
    const product = await createProduct(5, { price: 2500 });
    await addToCart(token, product.id, 1);
    const placed = await placeOrder(token, `shapes-${mode}-${paymentMethod}-${Date.now()}`, paymentMethod);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    return { product, placed: placed.body, orderId: placed.body.id as string };
  }

  it("an ordinary card (pm_card_visa) is paid, the unit sold", async () => {
    const { product, placed, orderId } = await order("pm_card_visa");
    // The card succeeds in create's own answer: the order may already say so.
    expect(["pending", "awaiting_payment", "paid"]).toContain(placed.status);
    await settle(token, orderId, "paid", 30_000);
    expect((await paymentOf(orderId))?.status).toBe("succeeded");
    expect(await stockOf(product.id)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("3-D Secure approved: awaiting_payment with the bank's page, then paid", async () => {
    const { product, orderId } = await order("pm_card_authenticationRequired");
    const url = await nextActionUrl(token, orderId);
    const waiting = await call("GET", `/orders/${orderId}`, { token });
    expect(waiting.body.status).toBe("awaiting_payment");
    expect(waiting.body.payment).toMatchObject({ status: "requires_action", nextAction: { type: "redirect_to_url" } });
    if (new URL(url).pathname.startsWith("/payments/authenticate/")) {
      // Our own bank page: its link carries the client secret, so nothing may keep or forward it.
      const page = await fetch(url);
      await page.body?.cancel();
      expect(page.status).toBe(200);
      expect(page.headers.get("cache-control")).toBe("no-store");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    }
    const answer = await answerAuthentication(url, "approve");
    expect(answer.status).toBeLessThan(400);
    await settle(token, orderId, "paid", 30_000);
    const final = await call("GET", `/orders/${orderId}`, { token });
    expect(final.body.payment.nextAction).toBeNull();
    expect((await paymentOf(orderId))?.status).toBe("succeeded");
    expect(await stockOf(product.id)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("3-D Secure failed: payment_failed, the unit back on sale", async () => {
    const { product, orderId } = await order("pm_card_authenticationRequired");
    const url = await nextActionUrl(token, orderId);
    expect((await stockOf(product.id)).reserved).toBe(1);
    const answer = await answerAuthentication(url, "fail");
    expect(answer.status).toBeLessThan(400);
    const failed = await settle(token, orderId, undefined, 30_000);
    expect(failed.status).toBe("payment_failed");
    expect((await paymentOf(orderId))?.status).toBe("failed");
    expect(await stockOf(product.id)).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("a bank debit (pm_usBankAccount_success) waits in processing, then is paid when it settles", async () => {
    const { product, orderId } = await order("pm_usBankAccount_success");
    const waiting = await call("GET", `/orders/${orderId}`, { token });
    expect(waiting.body.status).toBe("awaiting_payment");
    expect(waiting.body.payment.status).toBe("processing");
    await settleBankDebit(orderId);
    await settle(token, orderId, "paid", 30_000);
    expect((await paymentOf(orderId))?.status).toBe("succeeded");
    expect(await stockOf(product.id)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("a decline (pm_card_chargeDeclinedExpiredCard) ends payment_failed with Stripe's code, stock back", async () => {
    const { product, orderId } = await order("pm_card_chargeDeclinedExpiredCard");
    const failed = await settle(token, orderId, undefined, 30_000);
    expect(failed.status).toBe("payment_failed");
    const shown = await call("GET", `/orders/${orderId}`, { token });
    expect(shown.body.payment.failureMessage).toMatch(/expired/i);
    expect(await paymentOf(orderId)).toMatchObject({ status: "failed", failureCode: "expired_card" });
    expect(await stockOf(product.id)).toMatchObject({ onHand: 5, reserved: 0 });
  });
});
