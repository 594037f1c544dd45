import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { expect, it, vi } from "vitest";
import type { OrderDO } from "../../src/durable-objects/order";
import type { OrdersBindings } from "../../src/env";
import type { PlaceOutcome } from "../../src/services/order-saga/types";
import { ADDRESS, checkout, createProduct, getOrder, paymentRow, shopper, stockOf, untilStatus } from "../helpers";

type Mutable = { env: Record<string, unknown> };

/** What `POST /orders` hands the OrderDO for two units of one product. */
const twoOf = (orderId: string, userId: string, productId: string) => ({
  orderId,
  userId,
  lines: [{ productId, quantity: 2 }],
  shippingAddress: ADDRESS,
  paymentMethod: "pm_card_visa",
});

it("a step that fails is retried by the alarm; nothing depends on the original request", async () => {
  const me = await shopper();
  const productId = await createProduct({ stock: 4, price: 900 });
  const orderId = newId("order");
  const stub = env.ORDER.get(env.ORDER.idFromName(orderId));

  // The payments service is down while the order is being placed.
  const first = await runInDurableObject(stub, async (instance: OrderDO) => {
    const real = (instance as unknown as Mutable).env;
    (instance as unknown as Mutable).env = {
      ...real,
      PAYMENTS: { create: () => Promise.reject(new Error("payments unreachable")) },
    };
    try {
      return (await instance.place(twoOf(orderId, me.userId, productId))) as PlaceOutcome;
    } finally {
      (instance as unknown as Mutable).env = real;
    }
  });
  expect(first.kind).toBe("accepted");
  expect((first as { body: { status: string } }).body.status).toBe("pending");
  // Reserved before the failure, and kept for the retry.
  expect(await stockOf(productId)).toEqual({ onHand: 4, reserved: 2 });
  const task = await runInDurableObject(stub, (_i, state) =>
    state.storage.sql
      .exec<{ attempts: number; next_at: number }>("SELECT attempts, next_at FROM tasks WHERE name = 'place'")
      .one(),
  );
  expect(task.attempts).toBe(1);
  expect(task.next_at).toBeGreaterThan(Date.now());
  expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBe(task.next_at);

  // Time passes; the alarm retries the step with the service back.
  await runInDurableObject(stub, (_i, state) => {
    state.storage.sql.exec("UPDATE tasks SET next_at = 0");
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  expect((await paymentRow(orderId))?.amount).toBe(1800);
  await untilStatus(me, orderId, "paid");
  expect(await stockOf(productId)).toEqual({ onHand: 2, reserved: 0 });
});

it("a restock the catalog cannot take yet is retried by the alarm until the units are back", async () => {
  const me = await shopper();
  const productId = await createProduct({ stock: 5, price: 700 });
  const placed = await checkout(me, [{ productId, quantity: 2 }]);
  await untilStatus(me, placed.id, "paid");
  const stub = env.ORDER.get(env.ORDER.idFromName(placed.id));

  // The products service fails the restock while the paid order is cancelled.
  const cancelled = await runInDurableObject(stub, async (instance: OrderDO) => {
    const real = (instance as unknown as Mutable).env;
    (instance as unknown as Mutable).env = {
      ...real,
      PRODUCTS: { restock: () => Promise.reject(new Error("products unreachable")) },
    };
    try {
      return await instance.cancel({ userId: me.userId, role: "customer", email: "ada@example.com" }, undefined);
    } finally {
      (instance as unknown as Mutable).env = real;
    }
  });
  expect(cancelled.ok && cancelled.value.status).toBe("refunded");
  expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 0 });
  const task = await runInDurableObject(stub, (_i, state) =>
    state.storage.sql.exec<{ attempts: number }>("SELECT attempts FROM tasks WHERE name = 'restock'").one(),
  );
  expect(task.attempts).toBe(1);

  await runInDurableObject(stub, (_i, state) => {
    state.storage.sql.exec("UPDATE tasks SET next_at = 0");
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  expect(await stockOf(productId)).toEqual({ onHand: 5, reserved: 0 });
  const types = (await getOrder(me, placed.id)).timeline.map((e) => e.type);
  expect(types.filter((t) => t === "stock.returned")).toHaveLength(1);
});

/**
 * Runs `place` once with some neighbour calls that land but whose answers are lost (the
 * process dies, the connection drops), then lets the payment deadline pass before the
 * alarm resumes placing.
 */
async function placeWithLostAnswer(lose: "reserve" | "create") {
  const me = await shopper();
  const productId = await createProduct({ stock: 3, price: 1100 });
  const orderId = newId("order");
  const stub = env.ORDER.get(env.ORDER.idFromName(orderId));
  const first = await runInDurableObject(stub, async (instance: OrderDO, state) => {
    const real = (instance as unknown as Mutable).env as unknown as OrdersBindings;
    const lost = (err: string) => {
      throw new Error(err);
    };
    (instance as unknown as Mutable).env = {
      ...real,
      PRODUCTS: {
        quote: (...a: Parameters<typeof real.PRODUCTS.quote>) => real.PRODUCTS.quote(...a),
        reserve: async (...a: Parameters<typeof real.PRODUCTS.reserve>) => {
          const held = await real.PRODUCTS.reserve(...a);
          return lose === "reserve" ? lost("connection reset after reserve") : held;
        },
      },
      PAYMENTS: {
        create: async (...a: Parameters<typeof real.PAYMENTS.create>) => {
          const created = await real.PAYMENTS.create(...a);
          return lose === "create" ? lost("connection reset after create") : created;
        },
      },
    };
    try {
      return (await instance.place(twoOf(orderId, me.userId, productId))) as PlaceOutcome;
    } finally {
      (instance as unknown as Mutable).env = real as unknown as Record<string, unknown>;
      // The process stays down for a while: no retry until the test says so.
      const later = Date.now() + 3_600_000;
      state.storage.sql.exec("UPDATE tasks SET next_at = ?", later);
      await state.storage.setAlarm(later);
    }
  });
  expect((first as { body: { status: string } }).body.status).toBe("pending");
  // The neighbour did its part: the units are held.
  expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 2 });

  if (lose === "create") {
    // ...and the card was charged (synchronously, as Stripe charges a card); the order never
    // heard the answer, and an outcome event reaching it while it is still placing is left to
    // placing, so nothing but the retry will tell it.
    expect((await paymentRow(orderId))?.status).toBe("succeeded");
    expect((await getOrder(me, orderId)).status).toBe("pending");
    expect((await getOrder(me, orderId)).payment?.status).toBeNull();
  }

  // The retry comes after the payment deadline.
  await runInDurableObject(stub, (_i, state) => {
    state.storage.sql.exec("UPDATE order_state SET deadline_at = 1");
    state.storage.sql.exec("UPDATE tasks SET next_at = 0");
  });
  for (let i = 0; i < 5 && (await runDurableObjectAlarm(stub)); i++);
  return { me, productId, orderId, stub };
}

it("placing that runs out of time after a reserve whose answer was lost gives the units back", async () => {
  const { me, productId, orderId, stub } = await placeWithLostAnswer("reserve");
  const order = await getOrder(me, orderId);
  expect(order.status).toBe("rejected");
  expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 0 });
  expect(await paymentRow(orderId)).toBeNull();
  // The retry of POST /orders is told the order could not be placed.
  const outcome = (await runInDurableObject(stub, (instance: OrderDO) =>
    instance.place({ orderId, userId: me.userId, lines: [], shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" }),
  )) as PlaceOutcome;
  expect(outcome).toMatchObject({ kind: "done", creation: { kind: "refused", code: "service_unavailable" } });
});

it("placing that runs out of time after a charge whose answer was lost refunds it and gives the units back", async () => {
  const { me, productId, orderId } = await placeWithLostAnswer("create");
  await vi.waitFor(async () => expect((await paymentRow(orderId))?.status).toBe("refunded"), {
    timeout: 5_000,
    interval: 50,
  });
  const order = await getOrder(me, orderId);
  expect(order.status).toBe("rejected");
  expect(order.payment?.paymentId).toBe((await paymentRow(orderId))?.id);
  expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 0 });
});
