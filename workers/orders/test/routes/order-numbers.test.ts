import { applyD1Migrations, env, runInDurableObject } from "cloudflare:test";
import type { Order, OrderPage } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import type { OrderDO } from "../../src/durable-objects/order";
import type { OrderNumberDO } from "../../src/durable-objects/order-number";
import { ORDER_NUMBER_BASE, ORDER_NUMBER_SHARDS, shardOf } from "../../src/services/order-numbers/allocate";
import { orderStub } from "../../src/services/orders/order-stub";
import {
  ADDRESS,
  call,
  checkout,
  createProduct,
  getOrder,
  placeOrder,
  problem,
  shopper,
  untilNotified,
  untilStatus,
} from "../helpers";

/** The admin listing, filtered by `number` as typed (e.g. "#10042"), once the history shows `expected` rows. */
async function searchNumber(token: string, number: string): Promise<Response> {
  return call("GET", `/orders?number=${encodeURIComponent(number)}`, { token });
}

async function untilListed(token: string, number: number): Promise<OrderPage> {
  for (let i = 0; i < 100; i++) {
    const res = await searchNumber(token, String(number));
    const page = (await res.json()) as OrderPage;
    if (page.items.length) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`order #${number} never reached the history`);
}

describe("order numbers", () => {
  it("50 concurrent placements get 50 distinct numbers, each from its order's shard", async () => {
    const productId = await createProduct({ stock: 200, price: 500 });
    const shoppers = await Promise.all(Array.from({ length: 50 }, () => shopper()));
    const orders = await Promise.all(shoppers.map((s) => checkout(s, [{ productId, quantity: 1 }])));
    const numbers = orders.map((o) => o.number);
    expect(new Set(numbers).size).toBe(50);
    for (const o of orders) {
      expect(Number.isInteger(o.number)).toBe(true);
      expect(o.number).toBeGreaterThanOrEqual(ORDER_NUMBER_BASE);
      // shard k hands out BASE + seq * N + k: the number says which shard drew it
      expect(((o.number ?? 0) - ORDER_NUMBER_BASE) % ORDER_NUMBER_SHARDS).toBe(shardOf(o.id));
    }
    // The placements drew from several shards, not one hot object.
    expect(new Set(orders.map((o) => shardOf(o.id))).size).toBeGreaterThan(1);
  });

  it("a retried placement keeps its number, and the order, its history and its messages all show it", async () => {
    const me = await shopper();
    const productId = await createProduct({ stock: 5, price: 1500 });
    await call("POST", "/cart/items", { token: me.token, body: { productId, quantity: 1 } });
    const key = `key-${crypto.randomUUID()}`;
    const first = (await (await placeOrder(me, key)).json()) as Order;
    const again = await placeOrder(me, key);
    expect(again.status).toBe(201);
    expect(((await again.json()) as Order).number).toBe(first.number);
    // A retry that reaches the order object itself keeps the number too.
    const replay = (await orderStub(env, first.id).place({
      orderId: first.id,
      userId: me.userId,
      lines: [{ productId, quantity: 1 }],
      shippingAddress: ADDRESS,
      paymentMethod: "pm_card_visa",
    })) as unknown as { creation: { order: Order } };
    expect(replay.creation.order.number).toBe(first.number);
    expect((await getOrder(me, first.id)).number).toBe(first.number);
    const stored = await runInDurableObject(orderStub(env, first.id), (_i: OrderDO, state) =>
      state.storage.sql.exec<{ number: number }>("SELECT number FROM order_state").one(),
    );
    expect(stored.number).toBe(first.number);

    const page = await untilListed(me.token, first.number ?? 0);
    expect(page.items.map((o) => [o.id, o.number])).toEqual([[first.id, first.number]]);
    await untilStatus(me, first.id, "paid");
    const messages = await untilNotified(me.userId, "order.confirmed");
    expect(messages.find((m) => m.type === "order.confirmed")?.data).toMatchObject({
      orderId: first.id,
      number: first.number,
    });
  });

  it("admins find any order by number, typed 10042 or #10042; customers only their own", async () => {
    const admin = await shopper("admin");
    const owner = await shopper();
    const stranger = await shopper();
    const productId = await createProduct({ stock: 5, price: 700 });
    const order = await checkout(owner, [{ productId, quantity: 1 }]);
    const number = order.number ?? 0;

    const byAdmin = await untilListed(admin.token, number);
    expect(byAdmin.items).toHaveLength(1);
    expect(byAdmin.items[0]).toMatchObject({ id: order.id, number, userId: owner.userId });
    const hashed = await searchNumber(admin.token, `#${number}`);
    expect(hashed.status).toBe(200);
    expect(((await hashed.json()) as OrderPage).items.map((o) => o.id)).toEqual([order.id]);
    const none = await searchNumber(admin.token, "99999999");
    expect(((await none.json()) as OrderPage).items).toEqual([]);

    // The owner finds it; anyone else finds nothing (not even that the number exists).
    const own = await searchNumber(owner.token, String(number));
    expect(((await own.json()) as OrderPage).items.map((o) => o.id)).toEqual([order.id]);
    const other = await searchNumber(stranger.token, String(number));
    expect(other.status).toBe(200);
    expect(((await other.json()) as OrderPage).items).toEqual([]);
    expect((await call("GET", `/orders?number=${number}`)).status).toBe(401);
  });

  it("the OpenAPI document shows the number on orders and the number filter", async () => {
    const doc = (await (await call("GET", "/openapi.json")).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(doc.paths["/orders"]?.get?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "number", in: "query" })]),
    );
    expect(doc.components.schemas.Order?.properties).toHaveProperty("number");
    expect(doc.components.schemas.Order?.required).toContain("number");
  });

  it("a number that is not one is a 400 naming the field", async () => {
    const admin = await shopper("admin");
    for (const bad of ["abc", "0", "#", "##10042", "10042x", "-5", "1.5", "12345678901234567"]) {
      const res = await searchNumber(admin.token, bad);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get("content-type"), bad).toContain("application/problem+json");
      const body = await problem(res);
      expect(JSON.stringify(body.errors ?? body), bad).toContain("number");
    }
  });

  it("the allocator refuses a shard outside 0..N-1 and never reuses a number", async () => {
    const stub = env.ORDER_NUMBERS.get(env.ORDER_NUMBERS.idFromName("allocator-test"));
    await runInDurableObject(stub, async (allocator: OrderNumberDO) => {
      await expect(allocator.next(ORDER_NUMBER_SHARDS)).rejects.toThrow(/shard must be/);
      const a = await allocator.next(3);
      const b = await allocator.next(3);
      expect(b - a).toBe(ORDER_NUMBER_SHARDS);
      expect((a - ORDER_NUMBER_BASE) % ORDER_NUMBER_SHARDS).toBe(3);
      // Once a shard, always that shard: asked for another it refuses rather than collide.
      await expect(allocator.next(4)).rejects.toThrow(/was asked for shard 4/);
    });
  });
});

describe("migration 0003: numbering a history written before it", () => {
  it("numbers existing rows in creation order below 10000, keeps them unique, and new rows take theirs", async () => {
    const db = env.TEST_LEGACY_DB;
    const before = env.TEST_MIGRATIONS.filter((m) => !m.name.startsWith("0003"));
    expect(before.length).toBe(env.TEST_MIGRATIONS.length - 1);
    await applyD1Migrations(db, before);
    // Inserted out of id order: numbering follows the ids (creation order), not the insertion order.
    const ids = ["ord_01j00000000000000000000003", "ord_01j00000000000000000000001", "ord_01j00000000000000000000002"];
    for (const id of ids) {
      await db
        .prepare(
          `INSERT INTO orders (id, user_id, status, item_count, shipping_address, created_at, updated_at, version)
           VALUES (?1, 'usr_legacy', 'delivered', 1, '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 3)`,
        )
        .bind(id)
        .run();
    }
    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    const { results } = await db
      .prepare("SELECT id, number FROM orders ORDER BY id")
      .all<{ id: string; number: number }>();
    expect(results).toEqual([
      { id: "ord_01j00000000000000000000001", number: 1 },
      { id: "ord_01j00000000000000000000002", number: 2 },
      { id: "ord_01j00000000000000000000003", number: 3 },
    ]);
    // The unique index refuses a second order with a taken number.
    await expect(
      db
        .prepare(
          `INSERT INTO orders (id, number, user_id, status, item_count, shipping_address, created_at, updated_at, version)
           VALUES ('ord_01j00000000000000000000009', 2, 'usr_legacy', 'paid', 1, '{}', 'x', 'x', 1)`,
        )
        .run(),
    ).rejects.toThrow(/UNIQUE/);
    const guard = await db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'order_numbers_backfill_guard'")
      .first<{ n: number }>();
    expect(guard?.n).toBe(0);
  });
});
