import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { newId } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { createProduct, orderId, stockOf } from "./fixtures";

const rpc = exports.ProductsRpc;

async function catalogVersion(): Promise<number> {
  const row = await env.DB.prepare("SELECT version FROM catalog_state WHERE id = 1").first<{ version: number }>();
  return row?.version ?? -1;
}

describe("restockReturn", () => {
  it("puts the returned units (not the whole sale) back, once per return id", async () => {
    const mug = await createProduct({ stock: 5 });
    const order = orderId();
    expect((await rpc.reserve(order, [{ productId: mug.id, quantity: 3 }], 600)).ok).toBe(true);
    expect((await rpc.commit(order)).ok).toBe(true);
    expect(await stockOf(mug.id)).toEqual({ onHand: 2, reserved: 0 });
    const ret = newId("return");

    expect(await rpc.restockReturn(ret, [{ productId: mug.id, quantity: 1 }])).toEqual({ ok: true, replayed: false });
    expect(await stockOf(mug.id)).toEqual({ onHand: 3, reserved: 0 });

    expect(await rpc.restockReturn(ret, [{ productId: mug.id, quantity: 1 }])).toEqual({ ok: true, replayed: true });
    expect(await stockOf(mug.id)).toEqual({ onHand: 3, reserved: 0 });
  });

  it("concurrent calls add the units exactly once; a sold-out variant coming back moves the catalog version", async () => {
    const lamp = await createProduct({ stock: 1 });
    const order = orderId();
    expect((await rpc.reserve(order, [{ productId: lamp.id, quantity: 1 }], 600)).ok).toBe(true);
    expect((await rpc.commit(order)).ok).toBe(true);
    const before = await catalogVersion();
    const ret = newId("return");
    const results = await Promise.all(
      [1, 2, 3].map(() => rpc.restockReturn(ret, [{ productId: lamp.id, quantity: 1 }])),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await stockOf(lamp.id)).toEqual({ onHand: 1, reserved: 0 });
    expect(await catalogVersion()).toBeGreaterThan(before);
  });

  it("refuses a malformed return id", async () => {
    const p = await createProduct({ stock: 1 });
    const error = await Promise.resolve(rpc.restockReturn("ord_nope", [{ productId: p.id, quantity: 1 }])).then(
      () => null,
      (err: unknown) => String(err),
    );
    expect(error).toMatch(/returnId/);
    expect(await stockOf(p.id)).toEqual({ onHand: 1, reserved: 0 });
  });
});
