import type { Cart } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { assertPurchasable } from "./add-cart-item";
import { readCart } from "./cart-key";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

/** Sets a line's quantity (1..99); lowering it is always allowed, raising it needs the stock. */
export async function updateCartItem(
  ctx: OrdersContext,
  input: CartInput & { item: { productId: string; quantity: number } },
): Promise<Cart> {
  const { env } = ctx;
  const { item } = input;
  const opened = await openCart(ctx, input.cartToken);
  const before = await readCart(env, opened.key);
  const current = before.lines.find((l) => l.productId === item.productId);
  const lines = before.lines.map((l) => (l.productId === item.productId ? { ...l, quantity: item.quantity } : l));
  const quotes = await quoteLines(env, lines, callMetaOf(ctx));
  if (current && item.quantity > current.quantity)
    assertPurchasable(quotes.get(item.productId), item.productId, item.quantity);
  const { key, state } = await writeCart(env, opened.key, item.productId, "line_not_found", (stub, access) =>
    stub.setQuantity(item, access),
  );
  return priceCart(key, state.lines, quotes, opened.mergedCartIds);
}
