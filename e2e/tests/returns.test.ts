import { expect, it } from "vitest";
import { call, registerAndLogin } from "../support/http";
import { emailsTo } from "../support/mailbox";
import { describeEachMode } from "../support/modes";
import { paymentOf } from "../support/payments";
import { ADDRESS, admin, createProduct, eventually, settle, stockOf } from "../support/shop";

/**
 * Returns over HTTP (ADR 0034): a delivered order of 3 units, the shopper returns 1, an admin
 * approves and receives it — the payment shows a refund of exactly that unit's share, the unit
 * is back in stock, and the shopper got an email at each step.
 */
describeEachMode("returns: a delivered unit goes back and its share is refunded", () => {
  it("request → approve → receive → refunded, once, however often each step is repeated", async () => {
    const shopper = await registerAndLogin("returns");
    const token = shopper.accessToken;
    const adminToken = await admin();
    const product = await createProduct(5, { price: 2400, name: "Returnable mug" });

    expect((await call("POST", "/cart/items", { token, body: { productId: product.id, quantity: 3 } })).status).toBe(
      200,
    );
    const placed = await call("POST", "/orders", {
      token,
      headers: { "idempotency-key": `returns-${Date.now()}` },
      body: { shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    await settle(token, orderId, "paid");
    expect((await stockOf(product.id)).onHand).toBe(2);

    const early = await call("POST", `/orders/${orderId}/returns`, {
      token,
      headers: { "idempotency-key": "too-early" },
      body: { lines: [{ line: 0, quantity: 1 }], reason: "damaged" },
    });
    expect(early.status).toBe(409);
    const ship = { carrier: "DHL", trackingNumber: "JJD000390099" };
    expect((await call("POST", `/orders/${orderId}/ship`, { token: adminToken, body: ship })).status).toBe(200);
    expect((await call("POST", `/orders/${orderId}/deliver`, { token: adminToken })).status).toBe(200);

    const key = `return-${Date.now()}`;
    const body = { lines: [{ line: 0, quantity: 1 }], reason: "damaged", note: "Chipped rim" };
    const requested = await call("POST", `/orders/${orderId}/returns`, {
      token,
      headers: { "idempotency-key": key },
      body,
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ orderId, status: "requested", reason: "damaged" });
    const returnId = requested.body.id as string;
    const replay = await call("POST", `/orders/${orderId}/returns`, {
      token,
      headers: { "idempotency-key": key },
      body,
    });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(returnId);

    // Staff find it among requested returns.
    const listed = await eventually(
      async () => {
        const page = await call("GET", "/returns?status=requested", { token: adminToken });
        return (page.body.items as { id: string }[]).some((r) => r.id === returnId);
      },
      15_000,
      "the return in the admin list",
    );
    expect(listed).toBe(true);
    expect((await call("GET", "/returns", { token })).status).toBe(403);

    for (let i = 0; i < 2; i++) {
      const approved = await call("POST", `/returns/${returnId}/approve`, { token: adminToken });
      expect(approved.status).toBe(200);
    }
    const received = await call("POST", `/returns/${returnId}/receive`, { token: adminToken, body: {} });
    expect(received.status).toBe(200);
    expect(received.body.refundAmount).toEqual({ amount: 2400, currency: "USD" });
    expect((await call("POST", `/returns/${returnId}/receive`, { token: adminToken, body: {} })).status).toBe(200);

    const refunded = await eventually(
      async () => {
        const list = await call("GET", `/orders/${orderId}/returns`, { token });
        const r = (list.body.items as { id: string; status: string }[]).find((x) => x.id === returnId);
        return r?.status === "refunded" ? r : undefined;
      },
      30_000,
      "the return refunded",
    );
    expect(refunded).toMatchObject({ refundAmount: { amount: 2400, currency: "USD" } });

    // The payment shows the partial refund: one unit's share of three, exactly once.
    const payment = await eventually(
      async () => {
        const p = await paymentOf(orderId);
        return p && p.amountRefunded > 0 ? p : undefined;
      },
      30_000,
      "the partial refund on the payment",
    );
    expect(payment).toMatchObject({ amount: 7200, amountRefunded: 2400, status: "partially_refunded" });
    expect(await stockOf(product.id)).toMatchObject({ onHand: 3, reserved: 0 });
    const order = await call("GET", `/orders/${orderId}`, { token });
    expect(order.body).toMatchObject({ status: "delivered", payment: { amountRefunded: 2400 } });

    // An email at each step (the account's address is unverified: return emails are receipts).
    const mails = await eventually(
      async () => {
        const all = (await emailsTo(shopper.email)).filter((m) => m.subject.includes("eturn"));
        return all.length >= 3 ? all : undefined;
      },
      30_000,
      "return emails",
    );
    expect(mails.map((m) => m.subject).sort()).toEqual([
      `Refund for your return from order #${placed.body.number}`,
      `Return for order #${placed.body.number} approved`,
      `Return for order #${placed.body.number} requested`,
    ]);
    expect(mails.find((m) => m.subject.startsWith("Refund"))?.text).toContain("$24.00");
  });
});
