import { CART_COOKIE, CART_ID_HEADER, type Cart, MARKET_HEADER, MarketCode } from "@shop/contracts";
import { badRequest } from "@shop/runtime";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { OrdersEnv } from "../../env";

/** The guest cart token the client sent, by header or cookie (the signed-in user's cart needs none). */
export function cartTokenOf(c: Context<OrdersEnv>): string | undefined {
  return c.req.header(CART_ID_HEADER) ?? getCookie(c, CART_COOKIE);
}

/**
 * The shopper's market, which the gateway resolved and sends as `x-market` (ADR 0032); undefined
 * when the request names none (the cart keeps its own, else the default market). A malformed
 * code is a 400; a well-formed one the shop does not have is refused by the catalog's quote.
 */
export function marketOf(c: Context<OrdersEnv>): string | undefined {
  const raw = c.req.header(MARKET_HEADER);
  if (raw === undefined || raw === "") return undefined;
  const parsed = MarketCode.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(`${MARKET_HEADER} is not a market code.`, [
      { path: MARKET_HEADER, message: "must be 2..8 lowercase letters or digits" },
    ]);
  }
  return parsed.data;
}

/** What a cart request names: the guest cart token (if any) and the shopper's market. */
export function cartRequestOf(c: Context<OrdersEnv>): { cartToken: string | undefined; market: string | undefined } {
  return { cartToken: cartTokenOf(c), market: marketOf(c) };
}

/** Guests get their cart token back in `x-cart-id` on every response, so a fresh or replaced cart reaches the client. */
export function cartResponse(c: Context<OrdersEnv>, cart: Cart) {
  if (cart.cartToken) c.header(CART_ID_HEADER, cart.cartToken);
  c.header("cache-control", "no-store");
  return c.json(cart, 200);
}
