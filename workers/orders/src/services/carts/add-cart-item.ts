import { type AddCartItemBody, type Cart, defaultVariantId, type QuotedLine } from "@shop/contracts";
import { InsufficientStock, NotFound, Unavailable, Unprocessable } from "@shop/runtime";
import type { OrdersContext } from "../../env";
import { callMetaOf } from "../orders/order-stub";
import { cartCurrency } from "./cart-rules";
import { type CartInput, openCart } from "./open-cart";
import { priceCart, quotedVariant, UnknownMarket } from "./price-cart";
import type { CartItem, CartWriteFailure } from "./types";
import { writeCart } from "./write-cart";

/**
 * Adds units of a variant of a product (ADR 0029): `variantId`, or the product's default variant
 * when the body names the product alone. The variant must be the product's and exist, be on sale, be priced in the cart's
 * currency and have the units in stock; the price is the catalog's, never the client's.
 * Two sequential calls (ADR 0024): the cart's Durable Object quotes its lines from the
 * catalog and applies the cart rules in its one write (`CartDO.addQuoted`); the quotes it
 * judged by price the answer.
 */
export async function addCartItem(ctx: OrdersContext, input: CartInput & { item: AddCartItemBody }): Promise<Cart> {
  const { env } = ctx;
  const body = input.item;
  const item: CartItem = {
    productId: body.productId,
    variantId: body.variantId ?? defaultVariantId(body.productId),
    quantity: body.quantity,
  };
  const meta = callMetaOf(ctx);
  const opened = await openCart(ctx, input.cartToken);
  let quotes = new Map<string, QuotedLine>();
  const { key, state } = await writeCart(
    env,
    opened.key,
    item.productId,
    "start_new_cart",
    async (stub, access) => {
      const written = await stub.addQuoted(item, access, meta, input.market);
      quotes = new Map(written.quotes.map((q) => [quotedVariant(q), q]));
      return written;
    },
    (refusal) => {
      if (refusal.code === "unknown_market") throw new UnknownMarket(input.market);
      explainRefusal(refusal.code, refusal.state.lines, item, body.variantId !== undefined, quotes);
    },
  );
  return priceCart(key, state.lines, quotes, opened.mergedCartIds, state.market ?? input.market ?? null);
}

/** The problem of a refusal judged by the catalog's quotes (the cart's own limits are writeCart's). */
function explainRefusal(
  code: CartWriteFailure,
  lines: CartItem[],
  item: CartItem,
  namedVariant: boolean,
  quotes: Map<string, QuotedLine>,
) {
  const existing = lines.find((l) => l.variantId === item.variantId)?.quantity ?? 0;
  const quote = quotes.get(item.variantId);
  switch (code) {
    case "catalog_unavailable":
      throw new Unavailable("The catalog is not reachable right now; try again shortly.", 5);
    case "not_in_catalog":
    case "archived":
    case "insufficient_stock":
      assertPurchasable(quote, item.productId, existing + item.quantity, namedVariant ? item.variantId : undefined);
      break;
    case "currency_mismatch": {
      const cart = cartCurrency(lines, item.variantId, (id) => quotes.get(id));
      throw new Unprocessable(
        `${item.productId} is priced in ${quote?.unitPrice?.currency}; this cart is in ${cart}.`,
        [{ path: "productId", message: "is priced in another currency than the cart" }],
      );
    }
  }
}

/**
 * Refuses a line the catalog would not sell as asked. `variantId`: the variant the client named
 * (absent: the product's default variant), which the problems then name — an unknown variant,
 * or one of another product, is not in the catalog.
 */
export function assertPurchasable(
  q: { found: boolean; active: boolean; available: number; unitPrice: unknown } | undefined,
  productId: string,
  quantity: number,
  variantId?: string,
): void {
  const [path, what] = variantId
    ? (["variantId", `${variantId} of ${productId}`] as const)
    : (["productId", productId] as const);
  if (q?.found && !q.unitPrice) {
    // Found, but with no price in the cart's market: not sold there (ADR 0032).
    throw new Unprocessable(`${variantId ? "Variant" : "Product"} ${what} is not sold in this market.`, [
      { path, message: `${what} has no price in this market` },
    ]);
  }
  if (!q?.found || !q.unitPrice) {
    throw new NotFound(variantId ? `Variant ${what}` : `Product ${productId}`, {
      errors: [{ path, message: `${what} is not in the catalog` }],
    });
  }
  if (!q.active) {
    throw new Unprocessable(`${variantId ? "Variant" : "Product"} ${what} is no longer sold.`, [
      { path, message: `${what} is archived` },
    ]);
  }
  if (q.available < quantity) {
    // Same structured shape as the checkout's 409, so clients need not parse messages.
    throw new InsufficientStock(
      [
        {
          productId,
          ...(variantId ? { variantId } : {}),
          requested: quantity,
          available: q.available,
          reason: "insufficient_stock",
        },
      ],
      `Only ${q.available} of ${what} in stock.`,
      [{ path: "quantity", message: `${quantity} requested, ${q.available} available` }],
    );
  }
}
