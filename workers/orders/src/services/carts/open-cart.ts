import { type CallMeta, CartId, type Principal } from "@shop/contracts";
import { AppError, newId } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import { type CartKey, cartStub } from "./cart-key";

export type OpenedCart = { key: CartKey; mergedCartIds: string[] };

/**
 * Decides whose cart a request is about. Signed in: the user's cart, and a guest cart id
 * sent along is merged into it (once). Guest: the cart id the client sent, or a new one.
 * A malformed cart id is a 400: silently replacing it would hide a client bug and lose items.
 */
export async function openCart(
  env: Pick<OrdersBindings, "CART">,
  who: { principal: Principal | undefined; cartId: string | undefined },
  _meta: CallMeta,
): Promise<OpenedCart> {
  if (who.cartId !== undefined && !CartId.safeParse(who.cartId).success) {
    throw new AppError(400, "validation_failed", "Invalid header: x-cart-id", [
      { path: "x-cart-id", message: "must be a cart id this API returned (crt_…)" },
    ]);
  }
  if (who.principal) {
    const key: CartKey = { kind: "user", userId: who.principal.userId };
    const mergedCartIds = who.cartId ? await mergeGuestCart(env, who.principal.userId, who.cartId) : [];
    return { key, mergedCartIds };
  }
  return { key: { kind: "guest", cartId: who.cartId ?? newId("cart") }, mergedCartIds: [] };
}

/**
 * Guest → user, exactly once: the user's cart records the guest cart id in the same
 * transaction that adds the lines, then the guest cart is sealed. A crash between the two
 * steps is healed by the next request (the record makes the second absorb a no-op).
 */
export async function mergeGuestCart(env: Pick<OrdersBindings, "CART">, userId: string, guestCartId: string) {
  const guest = cartStub(env, { kind: "guest", cartId: guestCartId });
  const state = await guest.read();
  if (state.mergedInto) return [];
  const { merged } = await cartStub(env, { kind: "user", userId }).absorb(guestCartId, state.lines);
  await guest.sealMerged(userId);
  return merged ? [guestCartId] : [];
}

/** A guest cart that was merged into an account takes no more writes: the guest gets a fresh cart. */
export function freshGuestKey(): CartKey {
  return { kind: "guest", cartId: newId("cart") };
}
