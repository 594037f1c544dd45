import { type AddCartItemBody, type Cart, MAX_CART_LINES } from "@shop/contracts";
import { InsufficientStock, NotFound, Unprocessable } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { readCart } from "./cart-key";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

/**
 * Adds units of a product. The product must exist, be on sale, be priced in the cart's
 * currency and have the units in stock; the price is the catalog's, never the client's.
 */
export async function addCartItem(ctx: OrdersContext, input: CartInput & { item: AddCartItemBody }): Promise<Cart> {
  const { env } = ctx;
  const { item } = input;
  const meta = callMetaOf(ctx);
  const opened = await openCart(ctx, input.cartToken);
  const before = await readCart(env, opened.key);
  const existing = before.lines.find((l) => l.productId === item.productId)?.quantity ?? 0;
  const others = before.lines.filter((l) => l.productId !== item.productId);
  if (others.length >= MAX_CART_LINES) {
    throw new Unprocessable(`A cart holds at most ${MAX_CART_LINES} different products.`, [
      { path: "productId", message: `${item.productId} would be line ${MAX_CART_LINES + 1}` },
    ]);
  }
  const quotes = await quoteLines(
    env,
    [...others, { productId: item.productId, quantity: existing + item.quantity }],
    meta,
  );
  assertPurchasable(quotes.get(item.productId), item.productId, existing + item.quantity);
  const cartCurrency = others.map((l) => quotes.get(l.productId)).find((q) => q?.found && q.active && q.unitPrice)
    ?.unitPrice?.currency;
  const currency = quotes.get(item.productId)?.unitPrice?.currency;
  if (cartCurrency && currency !== cartCurrency) {
    throw new Unprocessable(`${item.productId} is priced in ${currency}; this cart is in ${cartCurrency}.`, [
      { path: "productId", message: "is priced in another currency than the cart" },
    ]);
  }
  const { key, state } = await writeCart(env, opened.key, item.productId, "start_new_cart", (stub, access) =>
    stub.add(item, access),
  );
  return priceCart(key, state.lines, quotes, opened.mergedCartIds);
}

export function assertPurchasable(
  q: { found: boolean; active: boolean; available: number; unitPrice: unknown } | undefined,
  productId: string,
  quantity: number,
): void {
  if (!q?.found || !q.unitPrice) {
    throw new NotFound(`Product ${productId}`, {
      errors: [{ path: "productId", message: `${productId} is not in the catalog` }],
    });
  }
  if (!q.active) {
    throw new Unprocessable(`Product ${productId} is no longer sold.`, [
      { path: "productId", message: `${productId} is archived` },
    ]);
  }
  if (q.available < quantity) {
    // Same structured shape as the checkout's 409, so clients need not parse messages.
    throw new InsufficientStock(
      [{ productId, requested: quantity, available: q.available, reason: "insufficient_stock" }],
      `Only ${q.available} of ${productId} in stock.`,
      [{ path: "quantity", message: `${quantity} requested, ${q.available} available` }],
    );
  }
}
