import type { Cart } from "@shop/contracts";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { cartMarket, rememberMarket } from "./cart-market";
import { lineVariant } from "./cart-rules";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quoteLines } from "./price-cart";
import { writeCart } from "./write-cart";

/** Removes a line: `lineId` is a variant id, or a product id for its default variant. */
export async function removeCartItem(ctx: OrdersContext, input: CartInput & { lineId: string }): Promise<Cart> {
  const { env } = ctx;
  const { lineId } = input;
  const opened = await openCart(ctx, input.cartToken);
  const { key, state } = await writeCart(env, opened.key, lineId, "line_not_found", (stub, access) =>
    stub.remove(lineVariant(lineId), access),
  );
  const market = cartMarket(state, input.market);
  const quotes = await quoteLines(env, state.lines, callMetaOf(ctx), market);
  await rememberMarket(env, key, state, input.market);
  return priceCart(key, state.lines, quotes, opened.mergedCartIds, market);
}
