import type { OrdersBindings, OrdersContext } from "../../env";
import { accessOf, type CartKey, cartStub, type GuestCartKey, NO_CART_KEY } from "./cart-key";
import { parseCartToken } from "./cart-token";

export type OpenedCart = { key: CartKey; mergedCartIds: string[] };

/** What every cart verb is told about the cart: the guest token the client sent, if any (the user comes from the context). */
/** `market`: the shopper's market, from the gateway (ADR 0032); absent → the cart's own, else the default. */
export type CartInput = { cartToken?: string | undefined; market?: string | undefined };

/**
 * Decides whose cart a request is about. Signed in: the user's cart, and a guest cart token
 * sent along is merged into it (once). Guest: the cart of the token the client sent, or none
 * yet — a cart is created by the first item added, never by a read.
 */
export async function openCart(ctx: OrdersContext, cartToken: string | undefined): Promise<OpenedCart> {
  const held = parseCartToken(cartToken);
  const principal = ctx.principal;
  if (principal) {
    const mergedCartIds = held ? await mergeGuestCart(ctx.env, principal.userId, held) : [];
    return { key: { kind: "user", userId: principal.userId }, mergedCartIds };
  }
  return { key: held ?? NO_CART_KEY, mergedCartIds: [] };
}

/**
 * Guest → user, exactly once, and only by the guest cart's holder: the guest cart's DO
 * answers a wrong secret as a cart that does not exist, so there is nothing to merge. The
 * user's cart records the guest cart id in the same transaction that adds the lines, then
 * the guest cart is sealed. A crash between the two steps is healed by the next request
 * (the record makes the second absorb a no-op).
 */
async function mergeGuestCart(env: Pick<OrdersBindings, "CART">, userId: string, guestKey: GuestCartKey) {
  const guest = cartStub(env, guestKey);
  const state = await guest.read(accessOf(guestKey));
  if (!state.exists || state.mergedInto) return [];
  const { merged } = await cartStub(env, { kind: "user", userId }).absorb(guestKey.cartId, state.lines);
  await guest.sealMerged(userId, accessOf(guestKey));
  return merged ? [guestKey.cartId] : [];
}
