import type { Cart } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import type { OpenedCart } from "./open-cart";
import { priceCart } from "./price-cart";
import { writeCart } from "./write-cart";

/** Empties the cart; clearing a cart the guest does not hold creates nothing. */
export async function clearCart(env: Pick<OrdersBindings, "CART">, opened: OpenedCart): Promise<Cart> {
  const { key } = await writeCart(env, opened.key, null, "empty", (stub, access) => stub.clear(access));
  return priceCart(key, [], new Map(), opened.mergedCartIds);
}
