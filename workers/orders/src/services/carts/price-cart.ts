import {
  type CallMeta,
  type Cart,
  type CartLine,
  type Currency,
  defaultVariantId,
  type QuotedLine,
} from "@shop/contracts";
import { log, Unavailable, Unprocessable } from "@shop/runtime";
import type { OrdersBindings } from "../../env";
import type { CartKey } from "./cart-key";
import { cartTokenOf } from "./cart-token";
import type { CartItem } from "./types";

/**
 * The variant a quote is of: a products release from before variants names only the product,
 * whose default variant it quoted (ADR 0029).
 */
export const quotedVariant = (q: Pick<QuotedLine, "productId" | "variantId">): string =>
  q.variantId ?? defaultVariantId(q.productId);

/** What products' RPCs throw for a market code the shop does not have (ADR 0032). */
export function isUnknownMarket(err: unknown): boolean {
  return err instanceof Error && /is not a market of this shop/.test(err.message);
}

/** The 4xx for a request naming a market the shop does not have (the gateway never sends one). */
export class UnknownMarket extends Unprocessable {
  constructor(market: string | undefined) {
    super(`The shop has no market ${market}.`, [
      { path: "x-market", message: `${market} is not a market of this shop` },
    ]);
  }
}

/**
 * Current catalog data for the given lines, by variant, priced in `market` (ADR 0032; absent:
 * the default market); an unreachable catalog is a 503, never a 500, an unknown market a 422. Each line names its product and its variant: the catalog refuses a variant of another
 * product, and a release from before variants still quotes the product (its default variant).
 */
export async function quoteLines(
  env: Pick<OrdersBindings, "PRODUCTS">,
  lines: CartItem[],
  meta: CallMeta,
  market?: string | null,
): Promise<Map<string, QuotedLine>> {
  if (lines.length === 0) return new Map();
  let quoted: QuotedLine[];
  try {
    quoted = await env.PRODUCTS.quote(
      lines.map((l) => ({ productId: l.productId, variantId: l.variantId, quantity: l.quantity })),
      meta,
      ...(market ? [market] : []),
    );
  } catch (err) {
    if (isUnknownMarket(err)) throw new UnknownMarket(market ?? undefined);
    // The shopper gets a 503; the cause is the operator's to see.
    log("warn", { worker: "orders", msg: "catalog quote failed", error: String(err) });
    throw new Unavailable("The catalog is not reachable right now; try again shortly.", 5);
  }
  return new Map(quoted.map((q) => [quotedVariant(q), q]));
}

/**
 * The cart as the shopper sees it: every line at today's price with its line total and
 * availability, the total of what can be bought, and whether checkout would go through.
 * A cart holds one currency: the first purchasable line sets it. `market`: the market the
 * quotes were asked in (ADR 0032); a variant without a price there is `not_in_market`.
 */
export function priceCart(
  key: CartKey,
  items: CartItem[],
  quotes: Map<string, QuotedLine>,
  mergedCartIds: string[] = [],
  market: string | null = null,
): Cart {
  let currency: Currency | null = null;
  let total = 0;
  let itemCount = 0;
  const lines: CartLine[] = items.map((item) => {
    const q = quotes.get(item.variantId);
    itemCount += item.quantity;
    const base = {
      productId: item.productId,
      variantId: item.variantId,
      quantity: item.quantity,
      sku: q?.sku ?? null,
      variantLabel: q?.variantLabel ?? "",
      name: q?.name ?? null,
      imageUrl: q?.imageUrl ?? null,
      available: Math.max(0, q?.available ?? 0),
    };
    if (!q?.found) return { ...base, unitPrice: null, lineTotal: null, problem: "not_found" };
    if (!q.unitPrice) return { ...base, unitPrice: null, lineTotal: null, problem: "not_in_market" };
    const unitPrice = q.unitPrice;
    const lineTotal = { amount: unitPrice.amount * item.quantity, currency: unitPrice.currency };
    if (!q.active) return { ...base, unitPrice, lineTotal, problem: "inactive" };
    currency ??= unitPrice.currency;
    if (unitPrice.currency !== currency) return { ...base, unitPrice, lineTotal, problem: "currency_mismatch" };
    total += lineTotal.amount;
    return { ...base, unitPrice, lineTotal, problem: q.available < item.quantity ? "insufficient_stock" : null };
  });
  return {
    cartId: key.kind === "guest" ? key.cartId : null,
    cartToken: key.kind === "guest" ? cartTokenOf(key) : null,
    owner: key.kind === "user" ? "user" : "guest",
    lines,
    itemCount,
    total: currency ? { amount: total, currency } : null,
    checkoutReady: lines.length > 0 && lines.every((l) => l.problem === null),
    mergedCartIds,
    market,
    currency: currency ?? lines.find((l) => l.unitPrice)?.unitPrice?.currency ?? null,
  };
}
