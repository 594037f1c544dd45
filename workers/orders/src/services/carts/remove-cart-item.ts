import type { Cart } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

export async function removeCartItem(ctx: OrdersContext, input: CartInput & { productId: string }): Promise<Cart> {
  const { env } = ctx;
  const { productId } = input;
  const opened = await openCart(ctx, input.cartToken);
  const { key, state } = await writeCart(env, opened.key, productId, "line_not_found", (stub, access) =>
    stub.remove(productId, access),
  );
  return priceCart(key, state.lines, await quoteLines(env, state.lines, callMetaOf(ctx)), opened.mergedCartIds);
}
