import { CART_COOKIE, CART_ID_HEADER, type Cart } from "@shop/contracts";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { OrdersEnv } from "../../env";

/** The guest cart token the client sent, by header or cookie (the signed-in user's cart needs none). */
export function cartTokenOf(c: Context<OrdersEnv>): string | undefined {
  return c.req.header(CART_ID_HEADER) ?? getCookie(c, CART_COOKIE);
}

/** Guests get their cart token back in `x-cart-id` on every response, so a fresh or replaced cart reaches the client. */
export function cartResponse(c: Context<OrdersEnv>, cart: Cart) {
  if (cart.cartToken) c.header(CART_ID_HEADER, cart.cartToken);
  c.header("cache-control", "no-store");
  return c.json(cart, 200);
}
