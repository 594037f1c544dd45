import { expect, it } from "vitest";
import { call } from "../support/http";
import { describeEachMode } from "../support/modes";
import { ADDRESS, addToCart, admin, buyers, createProduct, placeOrder, record, settle } from "../support/shop";

describeEachMode("double submit", (mode) => {
  it("50 concurrent POST /orders with one key create one order and one payment", async () => {
    const [buyer] = await buyers(1, "double");
    const product = await createProduct(100);
    await addToCart(buyer!.accessToken, product.id, 2);
    const key = `double-${Date.now()}`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => placeOrder(buyer!.accessToken, key)));
    const statuses = responses.map((r) => r.status);
    const ids = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.id));
    // Every answer is the first response replayed or "in flight, retry" — never a second order.
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.code).toBe("idempotency_in_flight");
    expect(ids.size).toBe(1);
    const orderId = [...ids][0] as string;
    await settle(buyer!.accessToken, orderId, "paid");

    const mine = await call("GET", "/orders?limit=100", { token: buyer!.accessToken });
    const orders = mine.body.items as { id: string }[];
    const payments = await call("GET", `/payments?orderId=${orderId}`, { token: await admin() });
    const paymentRows = payments.body.items as { id: string }[];
    const other = await placeOrder(buyer!.accessToken, key, "pm_card_visa", {
      shippingAddress: { ...ADDRESS, city: "Hamburg" },
      paymentMethod: "pm_card_visa",
    });
    record(`double submit [${mode}]`, {
      requests: 50,
      created201: statuses.filter((s) => s === 201).length,
      inFlight409: statuses.filter((s) => s === 409).length,
      distinctOrders: ids.size,
      ordersForUser: orders.length,
      payments: paymentRows.length,
      otherBodySameKey: other.status,
    });
    expect(orders.length).toBe(1);
    expect(paymentRows.length).toBe(1);
    // Same key, different body → 422.
    expect(other.status).toBe(422);
  });
});
