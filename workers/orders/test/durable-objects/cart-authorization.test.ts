import { env } from "cloudflare:test";
import { defaultVariantId } from "@shop/contracts";
import { newId, newSecret } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { cartStub } from "../../src/services/carts/cart-key";
import { createProduct } from "../helpers";

/**
 * Defence in depth (issue 12, item 9): a CartDO re-checks the access it is given, whoever
 * picked the stub. These tests call the Durable Object directly, past every HTTP check.
 */
describe("CartDO re-checks the caller", () => {
  it("a user's cart refuses writes and reads in another user's name, and stays as it was", async () => {
    const [owner, other] = [newId("user"), newId("user")];
    const productId = await createProduct({ stock: 10 });
    const variantId = defaultVariantId(productId);
    const cart = cartStub(env, { kind: "user", userId: owner });
    expect(await cart.add({ productId, variantId, quantity: 2 }, { kind: "user", userId: owner })).toMatchObject({
      ok: true,
    });

    const as = { kind: "user" as const, userId: other };
    expect(await cart.add({ productId, variantId, quantity: 5 }, as)).toMatchObject({ ok: false, code: "missing" });
    expect(await cart.setQuantity({ variantId, quantity: 9 }, as)).toMatchObject({ ok: false, code: "missing" });
    expect(await cart.remove(variantId, as)).toMatchObject({ ok: false, code: "missing" });
    expect(await cart.clear(as)).toMatchObject({ ok: false, code: "missing" });
    expect(await cart.read(as)).toMatchObject({ exists: false, lines: [] });

    expect(await cart.read({ kind: "user", userId: owner })).toMatchObject({ lines: [{ productId, quantity: 2 }] });
  });

  it("a guest cart refuses user access and a wrong secret, and accepts its holder", async () => {
    const productId = await createProduct({ stock: 10 });
    const variantId = defaultVariantId(productId);
    const key = { kind: "guest" as const, cartId: newId("cart"), secret: newSecret() };
    const cart = cartStub(env, key);
    expect(
      await cart.add({ productId, variantId, quantity: 1 }, { kind: "guest", secret: key.secret, create: true }),
    ).toMatchObject({ ok: true });

    expect(
      await cart.add({ productId, variantId, quantity: 1 }, { kind: "user", userId: newId("user") }),
    ).toMatchObject({
      ok: false,
      code: "missing",
    });
    expect(await cart.clear({ kind: "guest", secret: newSecret() })).toMatchObject({ ok: false, code: "missing" });
    expect(await cart.read({ kind: "guest", secret: key.secret })).toMatchObject({
      lines: [{ productId, quantity: 1 }],
    });
  });

  it("only a user's cart absorbs a guest cart or gives up ordered units", async () => {
    const productId = await createProduct({ stock: 10 });
    const variantId = defaultVariantId(productId);
    const key = { kind: "guest" as const, cartId: newId("cart"), secret: newSecret() };
    const guest = cartStub(env, key);
    await guest.add({ productId, variantId, quantity: 3 }, { kind: "guest", secret: key.secret, create: true });
    expect(await guest.absorb(newId("cart"), [{ productId, variantId, quantity: 5 }])).toEqual({ merged: false });
    expect(await guest.removeOrdered(newId("order"), [{ productId, variantId, quantity: 3 }])).toEqual({
      applied: false,
    });
    expect(await guest.read({ kind: "guest", secret: key.secret })).toMatchObject({
      lines: [{ productId, quantity: 3 }],
    });
  });
});
