import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { expect, it } from "vitest";
import type { OrderDO } from "../../src/durable-objects/order";
import type { PlaceOutcome } from "../../src/services/order-saga/types";
import { ADDRESS, createProduct, paymentRow, shopper, stockOf, untilStatus } from "../helpers";

type Mutable = { env: Record<string, unknown> };

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
      return (await instance.place({
        orderId,
        userId: me.userId,
        lines: [{ productId, quantity: 2 }],
        shippingAddress: ADDRESS,
        paymentMethod: "pm_card_visa",
      })) as PlaceOutcome;
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
