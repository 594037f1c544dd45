import type { Cart } from "@shop/contracts";
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
  const { env } = ctx;
  const opened = await openCart(ctx, input.cartToken);
  const state = await readCart(env, opened.key);
  if (opened.key.kind !== "user" && (!state.exists || state.mergedInto)) return priceCart(NO_CART_KEY, [], new Map());
  const market = cartMarket(state, input.market);
  const quotes = await quoteLines(env, state.lines, callMetaOf(ctx), market);
  await rememberMarket(env, opened.key, state, input.market);
  return priceCart(opened.key, state.lines, quotes, opened.mergedCartIds, market);
}
