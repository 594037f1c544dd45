import type { CallMeta, Cart } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import type { OpenedCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

export async function removeCartItem(
  env: Pick<OrdersBindings, "CART" | "PRODUCTS">,
  opened: OpenedCart,
  productId: string,
  meta: CallMeta,
): Promise<Cart> {
  const { key, result } = await writeCart(env, opened.key, productId, (stub, guest) => stub.remove(productId, guest));
  return priceCart(key, result.state.lines, await quoteLines(env, result.state.lines, meta), opened.mergedCartIds);
}
