import { env } from "cloudflare:test";
import type { Order, PaymentEventData, Principal } from "@shop/contracts";
import { newId } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { orderStub } from "../../src/services/orders/order-stub";
import { checkout, createProduct, getOrder, orderBody, type Shopper, shopper, untilStatus } from "../helpers";

/**
 * Defence in depth (issue 12, item 9): the OrderDO re-checks the principal it is given, so a
 * bug in a route's role check alone cannot ship, deliver, cancel or read someone else's order.
 * These tests call the Durable Object directly, past every HTTP check.
 */
const SHIP = { carrier: "UPS", trackingNumber: "1Z999AA10123456784" };
const principal = (who: Shopper, role: Principal["role"] = "customer"): Principal => ({
  userId: who.userId,
  role,
  email: `${who.userId}@example.com`,
});

async function paidOrder(): Promise<{ owner: Shopper; order: Order }> {
  const owner = await shopper();
  const placed = await checkout(owner, [{ productId: await createProduct({ stock: 5 }), quantity: 1 }]);
  return { owner, order: await untilStatus(owner, placed.id, "paid") };
}

describe("OrderDO commands re-check the caller", () => {
  it("refuses ship and deliver to a customer, even the order's owner, and the order does not move", async () => {
    const { owner, order } = await paidOrder();
    const stub = orderStub(env, order.id);

    expect(await stub.ship(SHIP, principal(owner))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await stub.deliver(principal(owner))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getOrder(owner, order.id)).status).toBe("paid");

    // The same call with an admin principal works: the refusal above is about the role.
    const admin = await shopper("admin");
    expect(await stub.ship(SHIP, principal(admin, "admin"))).toMatchObject({ ok: true, value: { status: "shipped" } });
    expect(await stub.deliver(principal(owner))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getOrder(owner, order.id)).status).toBe("shipped");
  });

  it("refuses a malformed or missing principal", async () => {
    const { owner, order } = await paidOrder();
    const stub = orderStub(env, order.id);
    expect(await stub.ship(SHIP, undefined as never)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await stub.cancel({ userId: owner.userId } as never, "no role")).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect((await getOrder(owner, order.id)).status).toBe("paid");
  });

  it("lets another customer neither cancel nor see an order (not found), while its owner can", async () => {
    const { owner, order } = await paidOrder();
    const stranger = await shopper();
    const stub = orderStub(env, order.id);

    expect(await stub.cancel(principal(stranger), "mine now")).toMatchObject({ ok: false, code: "not_found" });
    expect(await stub.viewFor(principal(stranger))).toBeNull();
    expect((await getOrder(owner, order.id)).status).toBe("paid");

    // RPC typing cannot express the order's `unknown` detail values; the DO returns exactly an Order.
    expect(((await stub.viewFor(principal(owner))) as Order | null)?.id).toBe(order.id);
    expect(((await stub.viewFor(principal(stranger, "admin"))) as Order | null)?.id).toBe(order.id);
    expect(await stub.cancel(principal(owner), "changed my mind")).toMatchObject({ ok: true });
  });

  it("refuses to place (or replay) an order for a user who does not own it", async () => {
    const { owner, order } = await paidOrder();
    const stranger = await shopper();
    const outcome = await orderStub(env, order.id).place({
      orderId: order.id,
      userId: stranger.userId,
      lines: [{ productId: newId("product"), quantity: 1 }],
      ...orderBody(),
    });
    expect(outcome).toEqual({ kind: "forbidden" });
    expect((await getOrder(owner, order.id)).status).toBe("paid");
  });

  it("ignores a payment fact that names another user (stale); the same fact for the owner applies", async () => {
    const owner = await shopper();
    const lines = [{ productId: await createProduct({ stock: 5 }), quantity: 1 }];
    // 3-D Secure never completed: the order waits for a payment fact.
    const order = await checkout(owner, lines, "pm_card_authenticationRequired");
    expect(order.status).toBe("awaiting_payment");
    const fact = (userId: string): PaymentEventData => ({
      paymentId: order.payment.paymentId ?? newId("payment"),
      orderId: order.id,
      userId,
      status: "failed",
      amount: order.total?.amount ?? 0,
      currency: order.total?.currency ?? "USD",
      amountRefunded: 0,
      failureMessage: "declined",
    });
    const stub = orderStub(env, order.id);
    expect(await stub.applyPaymentEvent(newId("event"), fact(newId("user")))).toBe("stale");
    expect((await getOrder(owner, order.id)).status).toBe("awaiting_payment");
    expect(await stub.applyPaymentEvent(newId("event"), fact(owner.userId))).toBe("applied");
    expect((await getOrder(owner, order.id)).status).toBe("payment_failed");
  });
});
