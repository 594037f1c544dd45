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
  const { key, state } = await writeCart(env, opened.key, productId, "line_not_found", (stub, access) =>
    stub.remove(productId, access),
  );
  return priceCart(key, state.lines, await quoteLines(env, state.lines, meta), opened.mergedCartIds);
}
