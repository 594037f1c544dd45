import { env, runInDurableObject } from "cloudflare:test";
import { type Order, RETURN_WINDOW_MS, type Return, type ReturnList } from "@shop/contracts";
import { describe, expect, it, vi } from "vitest";
import {
  call,
  checkout,
  createProduct,
  getOrder,
  notificationsFor,
  paymentRow,
  problem,
  type Shopper,
  shopper,
  stockOf,
  untilNotified,
  untilStatus,
} from "../helpers";

const SHIP = { carrier: "DHL", trackingNumber: "JD0146000012345" };

/** An order of 3 × A (20.00) and 1 × B (5.00), paid, shipped and delivered. */
async function deliveredOrder() {
  const me = await shopper();
  const admin = await shopper("admin");
  const a = await createProduct({ stock: 10, price: 2000 });
  const b = await createProduct({ stock: 10, price: 500 });
  const placed = await checkout(me, [
    { productId: a, quantity: 3 },
    { productId: b, quantity: 1 },
  ]);
  await untilStatus(me, placed.id, "paid");
  expect((await call("POST", `/orders/${placed.id}/ship`, { token: admin.token, body: SHIP })).status).toBe(200);
  expect((await call("POST", `/orders/${placed.id}/deliver`, { token: admin.token })).status).toBe(200);
  const order = await getOrder(me, placed.id);
  return { me, admin, a, b, order };
}

function lineOf(order: Order, productId: string): number {
  return order.lines.findIndex((l) => l.productId === productId);
}

function requestReturn(who: Shopper, orderId: string, body: unknown, key = `ret-${crypto.randomUUID()}`) {
  return call("POST", `/orders/${orderId}/returns`, { token: who.token, body, headers: { "idempotency-key": key } });
}

function act(admin: Shopper, returnId: string, verb: "approve" | "reject" | "receive", body?: unknown) {
  return call("POST", `/returns/${returnId}/${verb}`, { token: admin.token, ...(body ? { body } : {}) });
}

async function returnsOf(who: Shopper, orderId: string): Promise<Return[]> {
  const res = await call("GET", `/orders/${orderId}/returns`, { token: who.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as ReturnList).items;
}

function untilReturn(who: Shopper, orderId: string, returnId: string, status: Return["status"]): Promise<Return> {
  return vi.waitFor(
    async () => {
      const r = (await returnsOf(who, orderId)).find((x) => x.id === returnId);
      if (r?.status !== status) throw new Error(`return is ${r?.status}, waiting for ${status}`);
      return r;
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe("returns: request → approve → receive → refunded", () => {
  it("refunds exactly the returned units' share (1 of 3), restocks them, and emails each step", async () => {
    const { me, admin, a, order } = await deliveredOrder();
    const stockBefore = await stockOf(a);
    const res = await requestReturn(me, order.id, {
      lines: [{ line: lineOf(order, a), quantity: 1 }],
      reason: "damaged",
      note: "The handle broke",
    });
    expect(res.status).toBe(201);
    const requested = (await res.json()) as Return;
    expect(requested).toMatchObject({ orderId: order.id, userId: me.userId, status: "requested", reason: "damaged" });
    expect(requested.id).toMatch(/^ret_/);
    expect(requested.lines).toEqual([
      expect.objectContaining({ productId: a, quantity: 1, unitPrice: { amount: 2000, currency: "USD" } }),
    ]);

    const approved = await act(admin, requested.id, "approve");
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as Return).status).toBe("approved");

    const received = await act(admin, requested.id, "receive", {});
    expect(received.status).toBe(200);
    expect(((await received.json()) as Return).refundAmount).toEqual({ amount: 2000, currency: "USD" });

    const refunded = await untilReturn(me, order.id, requested.id, "refunded");
    expect(refunded.refundId).toMatch(/^ref_/);
    const payment = await paymentRow(order.id);
    expect(payment).toMatchObject({ amount: 6500, amount_refunded: 2000, status: "partially_refunded" });
    expect(await stockOf(a)).toEqual({ onHand: stockBefore.onHand + 1, reserved: 0 });
    const after = await getOrder(me, order.id);
    expect(after.status).toBe("delivered");
    expect(after.payment.amountRefunded).toBe(2000);

    await untilNotified(me.userId, "return.refunded");
    const messages = await notificationsFor(me.userId);
    for (const type of ["return.requested", "return.approved", "return.refunded"]) {
      expect(
        messages.filter((m) => m.type === type),
        type,
      ).toHaveLength(1);
    }
    expect(messages.find((m) => m.type === "return.refunded")?.data).toMatchObject({
      orderId: order.id,
      returnId: requested.id,
      amount: 2000,
      currency: "USD",
      items: [{ quantity: 1 }],
    });

    // Every step again: the same answer, no second refund, restock or email.
    expect(((await (await act(admin, requested.id, "approve")).json()) as Return).status).toBe("refunded");
    const again = await act(admin, requested.id, "receive", {});
    expect(again.status).toBe(200);
    expect(((await again.json()) as Return).refundId).toBe(refunded.refundId);
    expect((await paymentRow(order.id))?.amount_refunded).toBe(2000);
    expect(await stockOf(a)).toEqual({ onHand: stockBefore.onHand + 1, reserved: 0 });
    expect((await notificationsFor(me.userId)).filter((m) => m.type.startsWith("return.")).length).toBe(3);
    // A refunded return cannot be rejected.
    const reject = await act(admin, requested.id, "reject", { reason: "too late" });
    expect(reject.status).toBe(409);
    expect((await problem(reject)).code).toBe("invalid_transition");

    // The admin's list finds it by status.
    const list = (await (await call("GET", "/returns?status=refunded", { token: admin.token })).json()) as ReturnList;
    expect(list.items.map((r) => r.id)).toContain(requested.id);
    expect(list.items.every((r) => r.status === "refunded")).toBe(true);
  });

  it("a later return of the remaining units refunds the rest; all of them together equal what was paid", async () => {
    const { me, admin, a, b, order } = await deliveredOrder();
    const first = (await (
      await requestReturn(me, order.id, { lines: [{ line: lineOf(order, a), quantity: 1 }], reason: "other" })
    ).json()) as Return;
    const second = (await (
      await requestReturn(me, order.id, {
        lines: [
          { line: lineOf(order, a), quantity: 2 },
          { line: lineOf(order, b), quantity: 1 },
        ],
        reason: "no_longer_needed",
      })
    ).json()) as Return;
    for (const r of [first, second]) {
      expect((await act(admin, r.id, "approve")).status).toBe(200);
      expect((await act(admin, r.id, "receive")).status).toBe(200);
      await untilReturn(me, order.id, r.id, "refunded");
    }
    const payment = await paymentRow(order.id);
    expect(payment).toMatchObject({ amount: 6500, amount_refunded: 6500, status: "refunded" });
    // Nothing is left to return.
    const more = await requestReturn(me, order.id, { lines: [{ line: 0, quantity: 1 }], reason: "other" });
    expect(more.status).toBe(422);
  });

  it("a rejected return says why, frees its units, and cannot be approved afterwards", async () => {
    const { me, admin, a, order } = await deliveredOrder();
    const body = { lines: [{ line: lineOf(order, a), quantity: 3 }], reason: "wrong_item" };
    const r = (await (await requestReturn(me, order.id, body)).json()) as Return;
    const rejected = await act(admin, r.id, "reject", { reason: "Worn and washed" });
    expect(rejected.status).toBe(200);
    expect((await rejected.json()) as Return).toMatchObject({ status: "rejected", rejection: "Worn and washed" });
    expect((await act(admin, r.id, "reject", { reason: "Worn and washed" })).status).toBe(200);
    const approve = await act(admin, r.id, "approve");
    expect(approve.status).toBe(409);
    expect((await problem(approve)).code).toBe("invalid_transition");
    const receive = await act(admin, r.id, "receive");
    expect(receive.status).toBe(409);
    const messages = await untilNotified(me.userId, "return.rejected");
    expect(messages.find((m) => m.type === "return.rejected")?.data).toMatchObject({ reason: "Worn and washed" });
    // The rejected units can be asked for again.
    expect((await requestReturn(me, order.id, body)).status).toBe(201);
    expect((await paymentRow(order.id))?.amount_refunded).toBe(0);
  });

  it("receive before approval is a conflict; an unknown return is 404", async () => {
    const { me, admin, order } = await deliveredOrder();
    const r = (await (
      await requestReturn(me, order.id, { lines: [{ line: 0, quantity: 1 }], reason: "other" })
    ).json()) as Return;
    const early = await act(admin, r.id, "receive");
    expect(early.status).toBe(409);
    expect((await problem(early)).code).toBe("invalid_transition");
    expect((await act(admin, "ret_01jd8x3v4k2m9q7r5t6w8y0zab", "approve")).status).toBe(404);
  });
});

describe("requesting a return", () => {
  it("replays the same return for the same Idempotency-Key; another body with it → 422", async () => {
    const { me, order } = await deliveredOrder();
    const body = { lines: [{ line: 0, quantity: 1 }], reason: "defective" };
    const first = await requestReturn(me, order.id, body, "same-key");
    const again = await requestReturn(me, order.id, body, "same-key");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as Return).id).toBe(((await first.json()) as Return).id);
    expect(await returnsOf(me, order.id)).toHaveLength(1);
    const other = await requestReturn(me, order.id, { ...body, reason: "other" }, "same-key");
    expect(other.status).toBe(422);
    expect((await problem(other)).code).toBe("idempotency_key_reused");
  });

  it("refuses an order that is not delivered (409)", async () => {
    const me = await shopper();
    const p = await createProduct();
    const order = await untilStatus(me, (await checkout(me, [{ productId: p, quantity: 1 }])).id, "paid");
    const res = await requestReturn(me, order.id, { lines: [{ line: 0, quantity: 1 }], reason: "other" });
    expect(res.status).toBe(409);
    expect((await problem(res)).code).toBe("invalid_transition");
  });

  it("refuses more units than are left to return (422, naming the line)", async () => {
    const { me, a, order } = await deliveredOrder();
    const line = lineOf(order, a);
    const tooMany = await requestReturn(me, order.id, { lines: [{ line, quantity: 4 }], reason: "other" });
    expect(tooMany.status).toBe(422);
    expect((await problem(tooMany)).errors?.map((e) => e.path)).toEqual(["lines.0.quantity"]);
    expect((await requestReturn(me, order.id, { lines: [{ line, quantity: 2 }], reason: "other" })).status).toBe(201);
    const rest = await requestReturn(me, order.id, { lines: [{ line, quantity: 2 }], reason: "other" });
    expect(rest.status).toBe(422);
    const noLine = await requestReturn(me, order.id, { lines: [{ line: 7, quantity: 1 }], reason: "other" });
    expect(noLine.status).toBe(422);
    const dup = await requestReturn(me, order.id, {
      lines: [
        { line, quantity: 1 },
        { line, quantity: 1 },
      ],
      reason: "other",
    });
    expect(dup.status).toBe(400);
  });

  it(`refuses once the window after delivery has closed (409)`, async () => {
    const { me, order } = await deliveredOrder();
    const stub = env.ORDER.get(env.ORDER.idFromName(order.id));
    const long = new Date(Date.now() - RETURN_WINDOW_MS - 60_000).toISOString();
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE timeline SET at = ? WHERE type = 'order.delivered'", long);
    });
    const res = await requestReturn(me, order.id, { lines: [{ line: 0, quantity: 1 }], reason: "other" });
    expect(res.status).toBe(409);
    expect((await problem(res)).code).toBe("conflict");
  });

  it("another shopper's order → 404 and nothing is recorded; an admin cannot request for the customer", async () => {
    const { me, admin, order } = await deliveredOrder();
    const other = await shopper();
    const body = { lines: [{ line: 0, quantity: 1 }], reason: "other" };
    const res = await requestReturn(other, order.id, body);
    expect(res.status).toBe(404);
    expect(JSON.stringify(await problem(res))).not.toContain(me.userId);
    expect((await call("GET", `/orders/${order.id}/returns`, { token: other.token })).status).toBe(404);
    expect((await requestReturn(admin, order.id, body)).status).toBe(404);
    expect(await returnsOf(me, order.id)).toEqual([]);
    expect(await returnsOf(admin, order.id)).toEqual([]);
  });

  it("customers cannot list, approve, reject or receive returns (403)", async () => {
    const { me, order } = await deliveredOrder();
    const r = (await (
      await requestReturn(me, order.id, { lines: [{ line: 0, quantity: 1 }], reason: "other" })
    ).json()) as Return;
    expect((await call("GET", "/returns", { token: me.token })).status).toBe(403);
    for (const verb of ["approve", "receive"] as const) expect((await act(me, r.id, verb)).status).toBe(403);
    expect((await act(me, r.id, "reject", { reason: "x" })).status).toBe(403);
    expect((await returnsOf(me, order.id))[0]?.status).toBe("requested");
  });
});
