import type { CallMeta, Cart } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import { NO_CART_KEY, readCart } from "./cart-key";
import type { OpenedCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";

/**
 * The cart at current prices. A guest whose token opens nothing (no cart, a wrong secret, a
 * cart merged into an account) sees an empty cart with no id: the same answer in every case,
 * and nothing is created for it.
 */
export async function viewCart(
  env: Pick<OrdersBindings, "CART" | "PRODUCTS">,
  opened: OpenedCart,
  meta: CallMeta,
): Promise<Cart> {
  const state = await readCart(env, opened.key);
  if (opened.key.kind !== "user" && (!state.exists || state.mergedInto)) return priceCart(NO_CART_KEY, [], new Map());
  return priceCart(opened.key, state.lines, await quoteLines(env, state.lines, meta), opened.mergedCartIds);
}
