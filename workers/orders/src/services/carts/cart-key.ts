import type { OrdersBindings } from "../../env";

/** A signed-in shopper's cart is keyed by the user, a guest's by the `crt_` id the client holds. */
export type CartKey = { kind: "user"; userId: string } | { kind: "guest"; cartId: string };

export function cartStub(env: Pick<OrdersBindings, "CART">, key: CartKey) {
  const name = key.kind === "user" ? `user:${key.userId}` : `guest:${key.cartId}`;
  return env.CART.get(env.CART.idFromName(name));
}
