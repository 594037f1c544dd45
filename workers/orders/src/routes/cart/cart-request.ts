import { CART_COOKIE, CART_ID_HEADER, type Cart, type Principal } from "@shop/contracts";
import { callMeta } from "@shop/runtime";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { OrdersEnv } from "../../env";
import { type OpenedCart, openCart } from "../../services/carts/open-cart";

/** Which cart this request is about: the signed-in user's, or the guest cart whose token came by header or cookie. */
export function openRequestCart(c: Context<OrdersEnv>): Promise<OpenedCart> {
  const cartToken = c.req.header(CART_ID_HEADER) ?? getCookie(c, CART_COOKIE);
  return openCart(c.env, { principal: c.get("principal") as Principal | undefined, cartToken }, callMeta(c));
}

/** Guests get their cart token back in `x-cart-id` on every response, so a fresh or replaced cart reaches the client. */
export function cartResponse(c: Context<OrdersEnv>, cart: Cart) {
  if (cart.cartToken) c.header(CART_ID_HEADER, cart.cartToken);
  c.header("cache-control", "no-store");
  return c.json(cart, 200);
}
