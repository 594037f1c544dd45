import { newId, newSecret } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import type { CartAccess, CartState } from "./types";

export type UserCartKey = { kind: "user"; userId: string };
/** A guest cart the client claims to hold (its DO checks the secret), or one just minted (`fresh`). */
export type GuestCartKey = { kind: "guest"; cartId: string; secret: string; fresh?: boolean };
/**
 * A signed-in shopper's cart is keyed by the user; a guest's by the `crt_` id of the token the
 * client holds. `none`: a guest who holds no cart yet — nothing is instantiated for them.
 */
export type CartKey = UserCartKey | GuestCartKey | { kind: "none" };

export const NO_CART_KEY: CartKey = { kind: "none" };
const EMPTY: CartState = { exists: false, lines: [], mergedInto: null, market: null };

export function cartStub(env: Pick<OrdersBindings, "CART">, key: UserCartKey | GuestCartKey) {
  const name = key.kind === "user" ? `user:${key.userId}` : `guest:${key.cartId}`;
  return env.CART.get(env.CART.idFromName(name));
}

/** What the cart's DO needs to let this request in. */
export function accessOf(key: UserCartKey | GuestCartKey): CartAccess {
  return key.kind === "user"
    ? { kind: "user", userId: key.userId }
    : { kind: "guest", secret: key.secret, create: key.fresh === true };
}

/** The cart's contents; a guest with no cart reads an empty one without waking any Durable Object. */
export async function readCart(env: Pick<OrdersBindings, "CART">, key: CartKey): Promise<CartState> {
  if (key.kind === "none") return EMPTY;
  return cartStub(env, key).read(accessOf(key));
}

/** A new guest cart: a fresh id and a 128-bit secret that only this response hands out. */
export function freshGuestKey(): GuestCartKey {
  return { kind: "guest", cartId: newId("cart"), secret: newSecret(), fresh: true };
}
