import type { CallMeta, Cart } from "@shop/contracts";
import type { OrdersBindings } from "../../env";
import { assertPurchasable } from "./add-cart-item";
import { readCart } from "./cart-key";
import type { OpenedCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

/** Sets a line's quantity (1..99); lowering it is always allowed, raising it needs the stock. */
export async function updateCartItem(
  env: Pick<OrdersBindings, "CART" | "PRODUCTS">,
  opened: OpenedCart,
  item: { productId: string; quantity: number },
  meta: CallMeta,
): Promise<Cart> {
  const before = await readCart(env, opened.key);
  const current = before.lines.find((l) => l.productId === item.productId);
  const lines = before.lines.map((l) => (l.productId === item.productId ? { ...l, quantity: item.quantity } : l));
  const quotes = await quoteLines(env, lines, meta);
  if (current && item.quantity > current.quantity)
    assertPurchasable(quotes.get(item.productId), item.productId, item.quantity);
  const { key, state } = await writeCart(env, opened.key, item.productId, "line_not_found", (stub, access) =>
    stub.setQuantity(item, access),
  );
  return priceCart(key, state.lines, quotes, opened.mergedCartIds);
}
