import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { newId } from "@shop/runtime";
import { afterEach, describe, expect, it } from "vitest";
// The benchmark's geography hooks (ADR 0015), used directly: this suite's build is not armed.
import { farTrip, NEAR, setGeography, tripsSince, withGeography } from "../../../../packages/runtime/src/harness/geo";
import type { OrderDO } from "../../src/durable-objects/order";
import type { OrdersBindings } from "../../src/env";
import { forgetPricingData } from "../../src/services/checkout/pricing-memo";
import { ORDER_NUMBER_BASE } from "../../src/services/order-numbers/allocate";
import type { OrderStore } from "../../src/services/order-saga/store";
import type { PlaceOutcome } from "../../src/services/order-saga/types";
import { ADDRESS, createProduct, getOrder, shopper, stockOf, untilStatus } from "../helpers";

type Mutable = { env: Record<string, unknown> };
type Span = { start: number; end: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `POST /orders` hands the OrderDO for `quantity` units of one product. */
const input = (orderId: string, userId: string, productId: string, quantity = 1) => ({
  orderId,
  userId,
  lines: [{ productId, quantity }],
  shippingAddress: ADDRESS,
  paymentMethod: "pm_card_visa",
});

/**
 * Places an order through its object with the number allocator and the products hold each
 * taking 150 ms more (as far round trips do), and records when each call ran. `drawFails`: the
 * allocator does not answer.
 */
async function placeTimed(orderId: string, userId: string, productId: string, opts: { drawFails?: boolean } = {}) {
  const spans: { draw?: Span; reserve?: Span } = {};
  const stub = env.ORDER.get(env.ORDER.idFromName(orderId));
  const outcome = await runInDurableObject(stub, async (instance: OrderDO) => {
    const real = (instance as unknown as Mutable).env as unknown as OrdersBindings;
    const timed = async <T>(name: "draw" | "reserve", fn: () => Promise<T>): Promise<T> => {
      const start = Date.now();
      try {
        await sleep(150);
        return await fn();
      } finally {
        spans[name] = { start, end: Date.now() };
      }
    };
    (instance as unknown as Mutable).env = {
      ...real,
      ORDER_NUMBERS: {
        idFromName: (name: string) => real.ORDER_NUMBERS.idFromName(name),
        get: (id: DurableObjectId) => ({
          next: (shard: number) =>
            timed("draw", () =>
              opts.drawFails
                ? Promise.reject(new Error("allocator unreachable"))
                : real.ORDER_NUMBERS.get(id).next(shard),
            ),
        }),
      },
      PRODUCTS: {
        quote: (...a: Parameters<typeof real.PRODUCTS.quote>) => real.PRODUCTS.quote(...a),
        commit: (...a: Parameters<typeof real.PRODUCTS.commit>) => real.PRODUCTS.commit(...a),
        release: (...a: Parameters<typeof real.PRODUCTS.release>) => real.PRODUCTS.release(...a),
        reserve: (...a: Parameters<typeof real.PRODUCTS.reserve>) =>
          timed("reserve", () => real.PRODUCTS.reserve(...a)),
      },
    };
    try {
      return (await instance.place(input(orderId, userId, productId))) as PlaceOutcome;
    } finally {
      (instance as unknown as Mutable).env = real as unknown as Record<string, unknown>;
    }
  });
  return { outcome, spans, stub };
}

const overlap = (a: Span | undefined, b: Span | undefined) =>
  a !== undefined && b !== undefined && a.start < b.end && b.start < a.end;

describe("placing runs independent far calls at the same time", () => {
  it("the order number is drawn while the stock is held, and stored with the order", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 3, price: 700 });
    const orderId = newId("order");
    const { outcome, spans } = await placeTimed(orderId, me.userId, productId);
    expect(outcome.kind).toBe("done");
    // Two far calls of 150 ms each, at the same time rather than one after the other.
    expect(overlap(spans.draw, spans.reserve), JSON.stringify(spans)).toBe(true);
    const order = await untilStatus(me, orderId, "paid");
    expect(order.number).toBeGreaterThanOrEqual(ORDER_NUMBER_BASE);
    expect(outcome.kind === "done" && outcome.creation.kind === "placed" && outcome.creation.order.number).toBe(
      order.number,
    );
  });

  it("a refused placement still keeps the number it drew", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 1, price: 700 });
    const orderId = newId("order");
    const stub = env.ORDER.get(env.ORDER.idFromName(orderId));
    const outcome = (await runInDurableObject(stub, (instance: OrderDO) =>
      instance.place(input(orderId, me.userId, productId, 2)),
    )) as PlaceOutcome;
    expect(outcome).toMatchObject({ kind: "done", creation: { kind: "refused", code: "insufficient_stock" } });
    const order = await getOrder(me, orderId);
    expect(order.status).toBe("rejected");
    expect(order.number).toBeGreaterThanOrEqual(ORDER_NUMBER_BASE);
  });

  it("an allocator that does not answer: the hold stays, the retry draws the number once and keeps it", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 3, price: 700 });
    const orderId = newId("order");
    const { outcome, stub } = await placeTimed(orderId, me.userId, productId, { drawFails: true });
    // Still being placed, not numbered yet, nothing charged; the stock is held for the retry.
    expect(outcome).toMatchObject({ kind: "accepted", body: { status: "pending", number: null } });
    expect(await stockOf(productId)).toEqual({ onHand: 3, reserved: 1 });

    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE tasks SET next_at = 0");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const paid = await untilStatus(me, orderId, "paid");
    expect(paid.number).toBeGreaterThanOrEqual(ORDER_NUMBER_BASE);
    expect(await stockOf(productId)).toEqual({ onHand: 2, reserved: 0 });

    // Once stored, a number is never replaced, whatever asks.
    const again = (await runInDurableObject(stub, (instance: OrderDO) =>
      instance.place(input(orderId, me.userId, productId)),
    )) as PlaceOutcome;
    expect(again).toMatchObject({ kind: "done", replayed: true, creation: { order: { number: paid.number } } });
    const stored = await runInDurableObject(stub, (instance: OrderDO, state) => {
      (instance as unknown as { store: OrderStore }).store.apply({ number: 1 });
      return state.storage.sql.exec<{ number: number }>("SELECT number FROM order_state").one().number;
    });
    expect(stored).toBe(paid.number);
  });
});

describe("in the benchmark's far geography (the armed harness's delays)", () => {
  const FAR = {
    name: "far",
    primaryMs: 100,
    replicaMs: 5,
    farDurableObjectMs: 100,
    farDurableObjects: ["ORDER_NUMBERS"],
  };
  afterEach(() => setGeography(NEAR));

  it("the number draw and the pricing tables are read while the stock is held; the history written while the confirmation is sent", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 3, price: 2500 });
    const orderId = newId("order");
    // A cold pricing memo (ADR 0037), as in an isolate's first checkout: its tables are read.
    forgetPricingData();
    setGeography(FAR);
    const since = Date.now();
    const stub = env.ORDER.get(env.ORDER.idFromName(orderId));
    const outcome = (await runInDurableObject(stub, async (instance: OrderDO) => {
      const real = (instance as unknown as Mutable).env as unknown as OrdersBindings;
      // The order's own bindings as the benchmark delays them; the products worker's hold (its
      // own isolate here) as a far round trip to its D1 primary.
      (instance as unknown as Mutable).env = withGeography({
        ...real,
        PRODUCTS: {
          commit: (...a: Parameters<typeof real.PRODUCTS.commit>) => real.PRODUCTS.commit(...a),
          reserve: async (...a: Parameters<typeof real.PRODUCTS.reserve>) => {
            await farTrip("d1-primary", "products", FAR.primaryMs);
            return real.PRODUCTS.reserve(...a);
          },
        },
        // The queue of customer messages, one far round trip per send here.
        NOTIFICATIONS: {
          sendBatch: async (...a: Parameters<typeof real.NOTIFICATIONS.sendBatch>) => {
            await farTrip("d1-primary", "queue", FAR.primaryMs);
            return real.NOTIFICATIONS.sendBatch(...a);
          },
        },
      }) as unknown as Record<string, unknown>;
      try {
        return await instance.place({
          ...input(orderId, me.userId, productId),
          shippingAddress: { ...ADDRESS, country: "DE" },
          checkout: { shippingMethodId: "eu-standard" },
        });
      } finally {
        (instance as unknown as Mutable).env = real as unknown as Record<string, unknown>;
      }
    })) as PlaceOutcome;
    expect(outcome).toMatchObject({ kind: "done", creation: { kind: "placed" } });
    const trips = tripsSince(since);
    const reserve = trips.find((t) => t.target === "products");
    const draw = trips.find((t) => t.kind === "durable-object" && t.target === "ORDER_NUMBERS");
    expect(overlap(draw, reserve), JSON.stringify(trips)).toBe(true);
    // The promotions and the shipping tables (memo cold): read from the orders D1 primary during the hold.
    const reads = trips.filter((t) => t.target === "D1" && overlap(t, reserve));
    expect(reads.length, JSON.stringify(trips)).toBeGreaterThanOrEqual(1);
    // Paid in the answer: the confirmation goes out while the history is written, both before it.
    const send = trips.find((t) => t.target === "queue");
    const projection = trips.filter((t) => t.target === "D1").at(-1);
    expect(overlap(send, projection), JSON.stringify(trips)).toBe(true);
  });
});
