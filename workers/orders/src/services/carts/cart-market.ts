import type { OrdersBindings } from "../../env";
import { accessOf, type CartKey, cartStub } from "./cart-key";
import type { CartState } from "./types";

/**
 * The market a cart is priced in (ADR 0032): the shopper's current one (the request's), else the
 * one the cart remembers, else none (the default market). When the shopper's market changed
 * while the cart has lines, the whole cart is repriced in the new one (as Shopify does; lines
 * not sold there show `not_in_market`), and the cart remembers it, so an order placed from it
 * and a caller that names no market get the same prices.
 */
export const cartMarket = (state: CartState, requested: string | undefined): string | null => requested ?? state.market;

/**
 * Has the cart remember the shopper's market once the catalog quoted in it (a market the shop
 * does not have is refused by the quote first, never stored).
 */
export async function rememberMarket(
  env: Pick<OrdersBindings, "CART">,
  key: CartKey,
  state: CartState,
  requested: string | undefined,
): Promise<void> {
  if (
    !requested ||
    key.kind === "none" ||
    !state.exists ||
    state.lines.length === 0 ||
    state.mergedInto ||
    state.market === requested
  )
    return;
  await cartStub(env, key).setMarket(requested, accessOf(key));
}
