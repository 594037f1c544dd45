import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createProduct, orderId, reservationsOf, stockOf } from "./fixtures";

const rpc = exports.ProductsRpc;
const TTL = 600;

async function catalogVersion(): Promise<number> {
  const row = await env.DB.prepare("SELECT version FROM catalog_state WHERE id = 1").first<{ version: number }>();
  return row?.version ?? -1;
}

/** An order whose hold on the given lines became a sale. */
async function soldOrder(lines: { productId: string; quantity: number }[]): Promise<string> {
  const order = orderId();
  expect((await rpc.reserve(order, lines, TTL)).ok).toBe(true);
  expect(await rpc.commit(order)).toEqual({ ok: true, state: "committed" });
  return order;
}

describe("restock", () => {
  it("puts every committed unit of the order back on hand and moves the catalog version", async () => {
    const mug = await createProduct({ stock: 10 });
    const lamp = await createProduct({ stock: 3 });
    const order = await soldOrder([
      { productId: mug.id, quantity: 4 },
      { productId: lamp.id, quantity: 3 },
    ]);
    expect(await stockOf(lamp.id)).toEqual({ onHand: 0, reserved: 0 });
    const before = await catalogVersion();

    expect(await rpc.restock(order)).toEqual({ ok: true, state: "restocked" });

    expect(await stockOf(mug.id)).toEqual({ onHand: 10, reserved: 0 });
    expect(await stockOf(lamp.id)).toEqual({ onHand: 3, reserved: 0 });
    expect((await reservationsOf(order)).map((r) => r.state)).toEqual(["restocked", "restocked"]);
    expect(await catalogVersion()).toBeGreaterThan(before);
    // The units can be sold again.
    expect((await rpc.reserve(orderId(), [{ productId: lamp.id, quantity: 3 }], TTL)).ok).toBe(true);
  });

  it("a second call answers restocked and changes nothing", async () => {
    const p = await createProduct({ stock: 10 });
    const order = await soldOrder([{ productId: p.id, quantity: 4 }]);
    expect(await rpc.restock(order)).toEqual({ ok: true, state: "restocked" });
    const version = await catalogVersion();

    expect(await rpc.restock(order)).toEqual({ ok: true, state: "restocked" });

    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
    expect(await catalogVersion()).toBe(version);
    // A restocked sale is final: it can be neither committed nor released again.
    expect(await rpc.commit(order)).toEqual({ ok: false, state: "missing" });
    expect(await rpc.release(order)).toEqual({ ok: true, state: "missing" });
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
  });

  it("concurrent calls for one order return the units exactly once", async () => {
    const p = await createProduct({ stock: 10 });
    const order = await soldOrder([{ productId: p.id, quantity: 6 }]);
    const results = await Promise.all(Array.from({ length: 10 }, () => rpc.restock(order)));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ ok: true, state: "restocked" })));
    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 0 });
  });

  it("an unknown order is missing", async () => {
    expect(await rpc.restock(orderId())).toEqual({ ok: false, state: "missing" });
  });

  it("a hold that never became a sale is not_committed and its stock stays as it was", async () => {
    const p = await createProduct({ stock: 10 });
    const active = orderId();
    await rpc.reserve(active, [{ productId: p.id, quantity: 2 }], TTL);
    const released = orderId();
    await rpc.reserve(released, [{ productId: p.id, quantity: 3 }], TTL);
    await rpc.release(released);
    const version = await catalogVersion();

    expect(await rpc.restock(active)).toEqual({ ok: false, state: "not_committed" });
    expect(await rpc.restock(released)).toEqual({ ok: false, state: "not_committed" });

    expect(await stockOf(p.id)).toEqual({ onHand: 10, reserved: 2 });
    expect((await reservationsOf(active))[0]?.state).toBe("active");
    expect(await catalogVersion()).toBe(version);
  });

  it("the database refuses any other move into or out of restocked", async () => {
    const p = await createProduct({ stock: 10 });
    const active = orderId();
    await rpc.reserve(active, [{ productId: p.id, quantity: 1 }], TTL);
    const sold = await soldOrder([{ productId: p.id, quantity: 1 }]);
    await rpc.restock(sold);
    const move = (order: string, state: string) =>
      env.DB.prepare("UPDATE reservations SET state = ?1 WHERE order_id = ?2").bind(state, order).run();
    await expect(move(active, "restocked")).rejects.toThrow(/reservation_state_final/);
    await expect(move(sold, "committed")).rejects.toThrow(/reservation_state_final/);
    await expect(move(sold, "active")).rejects.toThrow(/reservation_state_final/);
  });

  it("refuses a malformed order id", async () => {
    let error = "";
    try {
      await rpc.restock("ord_nope");
    } catch (err) {
      error = String(err);
    }
    expect(error).toMatch(/order id/);
  });
});
