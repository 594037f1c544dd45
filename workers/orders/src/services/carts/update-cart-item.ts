import type { Cart } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { assertPurchasable } from "./add-cart-item";
import { readCart } from "./cart-key";
import { cartMarket, rememberMarket } from "./cart-market";
import { lineVariant } from "./cart-rules";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

/**
 * Sets a line's quantity (1..99); lowering it is always allowed, raising it needs the stock.
 * `item.lineId` names the line: a variant id, or a product id for its default variant.
 */
export async function updateCartItem(
  ctx: OrdersContext,
  input: CartInput & { item: { lineId: string; quantity: number } },
): Promise<Cart> {
  const { env } = ctx;
  const { lineId, quantity } = input.item;
  const variantId = lineVariant(lineId);
  const opened = await openCart(ctx, input.cartToken);
  const before = await readCart(env, opened.key);
  const current = before.lines.find((l) => l.variantId === variantId);
  const lines = before.lines.map((l) => (l.variantId === variantId ? { ...l, quantity } : l));
  const market = cartMarket(before, input.market);
  const quotes = await quoteLines(env, lines, callMetaOf(ctx), market);
  await rememberMarket(env, opened.key, before, input.market);
  if (current && quantity > current.quantity) {
    const named = lineId === variantId ? variantId : undefined;
    assertPurchasable(quotes.get(variantId), current.productId, quantity, named);
  }
  const { key, state } = await writeCart(env, opened.key, lineId, "line_not_found", (stub, access) =>
    stub.setQuantity({ variantId, quantity }, access),
  );
  return priceCart(key, state.lines, quotes, opened.mergedCartIds, market);
}
