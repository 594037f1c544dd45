import type { Cart } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { type CartInput, openCart } from "./open-cart";
import { priceCart } from "./price-cart";
import { writeCart } from "./write-cart";

/** Empties the cart; clearing a cart the guest does not hold creates nothing. */
export async function clearCart(ctx: OrdersContext, input: CartInput): Promise<Cart> {
  const opened = await openCart(ctx, input.cartToken);
  const { key } = await writeCart(ctx.env, opened.key, null, "empty", (stub, access) => stub.clear(access));
  return priceCart(key, [], new Map(), opened.mergedCartIds, input.market ?? null);
}
