import type { Cart, QuotedLine } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { NO_CART_KEY, readCart } from "./cart-key";
import { cartMarket, rememberMarket } from "./cart-market";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";

/**
 * The cart at current prices. A guest whose token opens nothing (no cart, a wrong secret, a
 * cart merged into an account) sees an empty cart with no id: the same answer in every case,
 * and nothing is created for it.
 */
export async function viewCart(ctx: OrdersContext, input: CartInput): Promise<Cart> {
  return (await viewCartQuoted(ctx, input)).cart;
}

/** `viewCart` with the catalog's quotes it was priced from, by variant (the checkout prices with them). */
export async function viewCartQuoted(
  ctx: OrdersContext,
  input: CartInput,
): Promise<{ cart: Cart; quotes: Map<string, QuotedLine> }> {
  const { env } = ctx;
  const opened = await openCart(ctx, input.cartToken);
  const state = await readCart(env, opened.key);
  if (opened.key.kind !== "user" && (!state.exists || state.mergedInto))
    return { cart: priceCart(NO_CART_KEY, [], new Map()), quotes: new Map() };
  const market = cartMarket(state, input.market);
  const quotes = await quoteLines(env, state.lines, callMetaOf(ctx), market);
  await rememberMarket(env, opened.key, state, input.market);
  return { cart: priceCart(opened.key, state.lines, quotes, opened.mergedCartIds, market), quotes };
}
