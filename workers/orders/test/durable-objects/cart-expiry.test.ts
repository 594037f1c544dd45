import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { defaultVariantId } from "@shop/contracts";
import { newId, newSecret } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { cartStub } from "../../src/services/carts/cart-key";
import { GUEST_CART_TTL_MS } from "../../src/services/carts/cart-rules";
import { createProduct } from "../helpers";

const DAY = 24 * 60 * 60 * 1000;

function newGuestCart() {
  const key = { kind: "guest" as const, cartId: newId("cart"), secret: newSecret() };
  return { key, stub: cartStub(env, key), holder: { kind: "guest" as const, secret: key.secret } };
}

const storageOf = (stub: ReturnType<typeof cartStub>) =>
  runInDurableObject(stub, async (_cart, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB '_cf_*'")
      .toArray()
      .map((r) => r.name),
    alarm: await state.storage.getAlarm(),
  }));

/** Pretends the cart was last written `daysAgo` days ago and that its alarm is due now. */
const lastWritten = (stub: ReturnType<typeof cartStub>, daysAgo: number) =>
  runInDurableObject(stub, async (_cart, state) => {
    state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'touched_at'", String(Date.now() - daysAgo * DAY));
    await state.storage.setAlarm(Date.now());
  });

describe("a guest cart's storage", () => {
  it("is created with its secret and first line in one transaction: a refused first write leaves nothing", async () => {
    const productId = await createProduct();
    const variantId = defaultVariantId(productId);
    const { stub, key } = newGuestCart();
    expect(
      await stub.setQuantity({ variantId, quantity: 2 }, { kind: "guest", secret: key.secret, create: true }),
    ).toMatchObject({ ok: false, code: "line_not_found" });
    expect(await storageOf(stub)).toEqual({ tables: [], alarm: null });
    // The same object still starts a cart on its first accepted write.
    expect(
      await stub.add({ productId, variantId, quantity: 2 }, { kind: "guest", secret: key.secret, create: true }),
    ).toMatchObject({ ok: true, state: { lines: [{ productId, quantity: 2 }] } });
  });

  it("sets the 30-day alarm once; writes after that do not move it", async () => {
    const productId = await createProduct();
    const variantId = defaultVariantId(productId);
    const { stub, key, holder } = newGuestCart();
    const before = Date.now();
    await stub.add({ productId, variantId, quantity: 1 }, { ...holder, create: true });
    const { alarm } = await storageOf(stub);
    expect(alarm).toBeGreaterThanOrEqual(before + GUEST_CART_TTL_MS);
    await new Promise((r) => setTimeout(r, 5));
    await stub.add({ productId, variantId, quantity: 1 }, holder);
    await stub.setQuantity({ variantId, quantity: 5 }, holder);
    expect((await storageOf(stub)).alarm).toBe(alarm);
    expect(await stub.read({ kind: "guest", secret: key.secret })).toMatchObject({
      lines: [{ productId, quantity: 5 }],
    });
  });

  it("outlives an alarm that fires within 30 days of its last write, and goes 30 days after it", async () => {
    const productId = await createProduct();
    const variantId = defaultVariantId(productId);
    const { stub, holder } = newGuestCart();
    await stub.add({ productId, variantId, quantity: 3 }, { ...holder, create: true });

    await lastWritten(stub, 10);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.read(holder)).toMatchObject({ exists: true, lines: [{ productId, quantity: 3 }] });
    const { alarm } = await storageOf(stub);
    expect(alarm).toBeGreaterThan(Date.now() + 19 * DAY);
    expect(alarm).toBeLessThan(Date.now() + 21 * DAY);

    await lastWritten(stub, 31);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.read(holder)).toMatchObject({ exists: false, lines: [] });
    expect(await storageOf(stub)).toEqual({ tables: [], alarm: null });
  });
});
