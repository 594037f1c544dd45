import { CartId, CartToken } from "@shop/contracts";
import { Invalid } from "@shop/runtime";
import type { GuestCartKey } from "./cart-key";

/** `crt_<ulid>.<secret>`: what the client holds and sends back in `x-cart-id` (ADR 0011). */
export function cartTokenOf(key: GuestCartKey): string {
  return `${key.cartId}.${key.secret}`;
}

/**
 * The guest cart a request claims to hold. A bare `crt_` id (what clients held before cart
 * tokens) names a cart but proves nothing: it holds no cart, and the client is handed a new
 * one on its next write. Anything else malformed is a 400: silently replacing it would hide
 * a client bug.
 */
export function parseCartToken(raw: string | undefined): GuestCartKey | null {
  if (raw === undefined || CartId.safeParse(raw).success) return null;
  if (!CartToken.safeParse(raw).success) {
    throw new Invalid([{ path: "x-cart-id", message: "must be a cart token this API returned (crt_….…)" }], "header");
  }
  const dot = raw.indexOf(".");
  return { kind: "guest", cartId: raw.slice(0, dot), secret: raw.slice(dot + 1) };
}
