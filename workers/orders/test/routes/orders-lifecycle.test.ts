import type { Order, OrderPage } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  checkout,
  createProduct,
  getOrder,
  paymentRow,
  problem,
  shopper,
  stockOf,
  untilNotified,
  untilStatus,
} from "../helpers";

const SHIP = { carrier: "DHL", trackingNumber: "JD0146000012345" };

async function paidOrder() {
  const me = await shopper();
  const productId = await createProduct({ stock: 5, price: 2000 });
  const placed = await checkout(me, [{ productId, quantity: 2 }]);
  await untilStatus(me, placed.id, "paid");
  return { me, productId, order: placed };
}

describe("ship and deliver (admin)", () => {
  it("paid → shipped with tracking → delivered, each in the timeline and told to the shopper", async () => {
    const admin = await shopper("admin");
    const { me, order } = await paidOrder();
    const shipped = await call("POST", `/orders/${order.id}/ship`, { token: admin.token, body: SHIP });
    expect(shipped.status).toBe(200);
    const body = (await shipped.json()) as Order;
    expect(body.status).toBe("shipped");
    expect(body.tracking).toMatchObject(SHIP);

    const delivered = await call("POST", `/orders/${order.id}/deliver`, { token: admin.token });
    expect(delivered.status).toBe(200);
    const final = await getOrder(me, order.id);
    expect(final.status).toBe("delivered");
    expect(final.timeline.map((e) => e.status)).toEqual(
      expect.arrayContaining(["pending", "awaiting_payment", "paid", "shipped", "delivered"]),
    );
    const messages = await untilNotified(me.userId, "order.delivered");
    expect(messages.find((m) => m.type === "order.shipped")?.data).toEqual({
      orderId: order.id,
      number: order.number,
      ...SHIP,
    });
  });

  it("refuses illegal transitions with 409 invalid_transition", async () => {
    const admin = await shopper("admin");
    const me = await shopper();
    const productId = await createProduct();
    const waiting = await checkout(me, [{ productId, quantity: 1 }], "pm_card_authenticationRequired");
    const early = await call("POST", `/orders/${waiting.id}/ship`, { token: admin.token, body: SHIP });
    expect(early.status).toBe(409);
    expect((await problem(early)).code).toBe("invalid_transition");

    const { order } = await paidOrder();
    const notShipped = await call("POST", `/orders/${order.id}/deliver`, { token: admin.token });
    expect(notShipped.status).toBe(409);
    await call("POST", `/orders/${order.id}/ship`, { token: admin.token, body: SHIP });
    const twice = await call("POST", `/orders/${order.id}/ship`, { token: admin.token, body: SHIP });
    expect(twice.status).toBe(409);
  });

  it("a customer cannot ship or deliver (403), not even their own order", async () => {
    const { me, order } = await paidOrder();
    const res = await call("POST", `/orders/${order.id}/ship`, { token: me.token, body: SHIP });
    expect(res.status).toBe(403);
    expect((await call("POST", `/orders/${order.id}/deliver`, { token: me.token })).status).toBe(403);
    expect((await getOrder(me, order.id)).status).toBe("paid");
  });

  it("refuses a ship body without tracking number (400)", async () => {
    const admin = await shopper("admin");
    const { order } = await paidOrder();
    const res = await call("POST", `/orders/${order.id}/ship`, { token: admin.token, body: { carrier: "DHL" } });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain("trackingNumber");
  });
});

describe("cancel", () => {
  it("before payment: payment cancelled, stock released", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 3 });
    const placed = await checkout(me, [{ productId, quantity: 3 }], "pm_card_authenticationRequired");
    const res = await call("POST", `/orders/${placed.id}/cancel`, {
      token: me.token,
      body: { reason: "Changed my mind" },
    });
    expect(res.status).toBe(200);
    const cancelled = (await res.json()) as Order;
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.reason).toBe("Changed my mind");
    expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 0 });
    expect((await paymentRow(placed.id))?.status).toBe("cancelled");
    await untilNotified(me.userId, "order.cancelled");
  });

  it("after payment: refunded with the whole amount, and the units go back on the shelf", async () => {
    const { me, productId, order } = await paidOrder();
    expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 0 });
    const res = await call("POST", `/orders/${order.id}/cancel`, { token: me.token });
    expect(res.status).toBe(200);
    const after = await getOrder(me, order.id);
    expect(after.status).toBe("refunded");
    expect(after.payment.amountRefunded).toBe(4000);
    expect(await paymentRow(order.id)).toMatchObject({ status: "refunded", amount_refunded: 4000 });
    const messages = await untilNotified(me.userId, "order.refunded");
    expect(messages.map((m) => m.type)).toEqual(expect.arrayContaining(["order.cancelled", "order.refunded"]));
    // The two sold units are on hand again, in the catalog's own inventory.
    expect(await stockOf(productId)).toEqual({ onHand: 5, reserved: 0 });
    expect(after.timeline.find((e) => e.type === "stock.returned")?.detail).toEqual({ reservation: "restocked" });
    expect(after.timeline.map((e) => e.type)).not.toContain("stock.not_returned");
    // A second cancel is an illegal transition, and no second refund happens.
    const again = await call("POST", `/orders/${order.id}/cancel`, { token: me.token });
    expect(again.status).toBe(409);
  });

  it("not after shipping (409)", async () => {
    const admin = await shopper("admin");
    const { me, order } = await paidOrder();
    await call("POST", `/orders/${order.id}/ship`, { token: admin.token, body: SHIP });
    const res = await call("POST", `/orders/${order.id}/cancel`, { token: me.token });
    expect(res.status).toBe(409);
    expect((await problem(res)).code).toBe("invalid_transition");
  });

  it("refuses a body with a status (400)", async () => {
    const { me, order } = await paidOrder();
    const res = await call("POST", `/orders/${order.id}/cancel`, { token: me.token, body: { status: "refunded" } });
    expect(res.status).toBe(400);
  });
});

describe("order security", () => {
  it("another user can neither read nor cancel an order (404)", async () => {
    const { me, order } = await paidOrder();
    const other = await shopper();
    const read = await call("GET", `/orders/${order.id}`, { token: other.token });
    expect(read.status).toBe(404);
    expect((await problem(read)).code).toBe("not_found");
    expect((await call("POST", `/orders/${order.id}/cancel`, { token: other.token })).status).toBe(404);
    expect((await getOrder(me, order.id)).status).toBe("paid");
    const list = (await (await call("GET", "/orders", { token: other.token })).json()) as OrderPage;
    expect(list.items).toEqual([]);
  });

  it("an admin can read anyone's order", async () => {
    const admin = await shopper("admin");
    const { order } = await paidOrder();
    expect((await call("GET", `/orders/${order.id}`, { token: admin.token })).status).toBe(200);
  });

  it("no token → 401 on every order route", async () => {
    const id = "ord_01jd8x3v4k2m9q7r5t6w8y0zab";
    for (const [method, path] of [
      ["GET", "/orders"],
      ["GET", `/orders/${id}`],
      ["POST", `/orders/${id}/cancel`],
      ["POST", `/orders/${id}/ship`],
      ["POST", `/orders/${id}/deliver`],
    ] as const) {
      expect((await call(method, path)).status, `${method} ${path}`).toBe(401);
    }
  });

  it("an unknown or malformed order id is 404 / 400", async () => {
    const me = await shopper();
    expect((await call("GET", "/orders/ord_01jd8x3v4k2m9q7r5t6w8y0zab", { token: me.token })).status).toBe(404);
    expect((await call("GET", "/orders/not-an-order", { token: me.token })).status).toBe(400);
  });
});

describe("GET /orders", () => {
  it("lists my orders newest first in cursor pages", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 20 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await checkout(me, [{ productId, quantity: 1 }], "pm_card_authenticationRequired")).id);
    const first = (await (await call("GET", "/orders?limit=2", { token: me.token })).json()) as OrderPage;
    expect(first.items.map((o) => o.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]?.lines).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (
      await call("GET", `/orders?limit=2&cursor=${first.nextCursor}`, { token: me.token })
    ).json()) as OrderPage;
    expect(second.items.map((o) => o.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it("lets an admin see everyone's orders filtered by status", async () => {
    const admin = await shopper("admin");
    const { order } = await paidOrder();
    const page = (await (
      await call("GET", "/orders?status=paid&limit=100", { token: admin.token })
    ).json()) as OrderPage;
    expect(page.items.every((o) => o.status === "paid")).toBe(true);
    expect(page.items.map((o) => o.id)).toContain(order.id);
  });

  it("refuses a bad limit, status or cursor with 400", async () => {
    const me = await shopper();
    for (const q of ["limit=0", "limit=101", "status=lost", "cursor=%%%"]) {
      expect((await call("GET", `/orders?${q}`, { token: me.token })).status, q).toBe(400);
    }
  });
});
