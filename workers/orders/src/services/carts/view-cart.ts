import type { CallMeta, Cart } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import { cartStub } from "./cart-key";
import { freshGuestKey, type OpenedCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";

export async function viewCart(
  env: Pick<OrdersBindings, "CART" | "PRODUCTS">,
  opened: OpenedCart,
  meta: CallMeta,
): Promise<Cart> {
  const state = await cartStub(env, opened.key).read();
  if (opened.key.kind === "guest" && state.mergedInto) return priceCart(freshGuestKey(), [], new Map());
  return priceCart(opened.key, state.lines, await quoteLines(env, state.lines, meta), opened.mergedCartIds);
}
