import { defaultVariantId, MAX_CART_LINES, type QuotedLine } from "@shop/contracts";
import { sha256Hex } from "@shop/runtime";
import type { CartAccess, CartItem, CartState, CartWriteFailure } from "./types";

/** Units of one product a cart line holds at most. */
export const MAX_QUANTITY = 99;
/** A guest cart nobody touched for this long is deleted. */
export const GUEST_CART_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const NO_CART: CartState = { exists: false, lines: [], mergedInto: null, market: null };

/**
 * What the cart rules need of one cart's storage. The CartDO implements it over its SQLite
 * tables and calls the rules inside one transaction, so limits hold without races.
 */
export interface CartStore {
  /** In the order they were added. */
  lines(): CartItem[];
  /** The units of a variant's line, null when the cart has none. */
  quantityOf(variantId: string): number | null;
  lineCount(): number;
  /** Starts a variant's line (added now) or sets an existing line's quantity. */
  putLine(line: LineKey, quantity: number): void;
  deleteLine(variantId: string): void;
  clearLines(): void;
  /** `secret_hash`: a guest cart's; `merged_into`: the user a sealed guest cart went to. */
  meta(key: CartMetaKey): string | undefined;
  /** Sets `key` unless it is set already. */
  setMeta(key: CartMetaKey, value: string): void;
  /** Sets `key`, replacing what it was. */
  putMeta(key: CartMetaKey, value: string): void;
  /** Records `cartId` as merged; false when it was already. */
  recordMerged(cartId: string): boolean;
  /** Records `orderId` as taken out of the cart; false when it was already. */
  recordApplied(orderId: string): boolean;
}

/**
 * The variant a cart line's id names: a variant id as it is, a product id its default variant
 * (clients from before variants name lines by product).
 */
export function lineVariant(lineId: string): string {
  return lineId.startsWith("var_") ? lineId : defaultVariantId(lineId);
}

/** What names a cart line: the variant, and the product it belongs to. */
export type LineKey = Pick<CartItem, "productId" | "variantId">;

/**
 * `touched_at`: when a guest cart was last written (ms), for its idle expiry. `market`: the market
 * the cart was last priced in (ADR 0032); absent on carts from before markets, which read as the
 * default market — a key of `meta`, so no migration.
 */
export type CartMetaKey = "secret_hash" | "merged_into" | "touched_at" | "market";

/** The SHA-256 of a guest's secret, as a guest cart stores it; null for a user. */
export async function presentedHash(access: CartAccess): Promise<string | null> {
  return access.kind === "guest" ? sha256Hex(access.secret) : null;
}

/** A cart's own name (`user:<id>` or `guest:<crt_id>`, given by `idFromName`) says whose it is. */
export function cartOwner(name: string | undefined): string | null {
  return name?.startsWith("user:") ? name.slice("user:".length) : null;
}

/**
 * Whether `access` may see the cart named `name`. A user's cart admits only that user
 * (defence in depth, ADR 0012: whoever chose the stub) and has no secret; a guest cart has one
 * and admits only its hash's preimage (compared in constant time). A guest cart from before
 * secrets existed has none and admits no guest (its id was guessable). `store` is null when
 * the cart has no storage yet.
 */
export function admits(
  name: string | undefined,
  store: Pick<CartStore, "meta"> | null,
  access: CartAccess,
  presented: string | null,
): boolean {
  if (access.kind === "user" && name !== `user:${access.userId}`) return false;
  if (!store) return access.kind === "user";
  const stored = store.meta("secret_hash");
  if (access.kind === "user") return stored === undefined;
  if (stored === undefined || presented === null) return false;
  const a = new TextEncoder().encode(stored);
  const b = new TextEncoder().encode(presented);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

export function cartState(store: CartStore | null): CartState {
  if (!store) return NO_CART;
  return {
    exists: true,
    lines: store.lines(),
    mergedInto: store.meta("merged_into") ?? null,
    market: store.meta("market") ?? null,
  };
}

/** Adds to a line (quantities sum) or starts one. Refuses beyond 99 units or 50 lines. */
export function addItem(store: CartStore, item: CartItem): CartWriteFailure | null {
  const existing = store.quantityOf(item.variantId);
  if (existing === null) {
    if (store.lineCount() >= MAX_CART_LINES) return "too_many_lines";
    store.putLine(item, item.quantity);
    return null;
  }
  if (existing + item.quantity > MAX_QUANTITY) return "quantity_limit";
  store.putLine(item, existing + item.quantity);
  return null;
}

/** What the catalog says of a variant, as far as adding it goes. */
export type CatalogQuote = Pick<QuotedLine, "found" | "active" | "available" | "unitPrice">;

/**
 * Adds units at the catalog's word (`quoteOf`: today's quotes of the cart's lines, the added
 * units included), in the checks' documented order: the 50-line limit, then the product must
 * exist, be on sale and have the line's units in stock, in the cart's currency (that of its
 * first purchasable other line), then the 99-unit limit. The price is never the client's.
 */
export function addPurchasable(
  store: CartStore,
  item: CartItem,
  quoteOf: (variantId: string) => CatalogQuote | undefined,
): CartWriteFailure | null {
  const existing = store.quantityOf(item.variantId);
  if (existing === null && store.lineCount() >= MAX_CART_LINES) return "too_many_lines";
  const q = quoteOf(item.variantId);
  if (!q?.found || !q.unitPrice) return "not_in_catalog";
  if (!q.active) return "archived";
  if (q.available < (existing ?? 0) + item.quantity) return "insufficient_stock";
  const currency = cartCurrency(store.lines(), item.variantId, quoteOf);
  if (currency && q.unitPrice.currency !== currency) return "currency_mismatch";
  return addItem(store, item);
}

/** The cart's currency: that of its first purchasable line other than the variant `except`, if any. */
export function cartCurrency(
  lines: CartItem[],
  except: string,
  quoteOf: (variantId: string) => CatalogQuote | undefined,
): string | undefined {
  for (const line of lines) {
    if (line.variantId === except) continue;
    const q = quoteOf(line.variantId);
    if (q?.found && q.active && q.unitPrice) return q.unitPrice.currency;
  }
  return undefined;
}

/** The lines to quote for adding `item`: the cart's, with the added units summed into their line. */
export function linesWithAdded(lines: CartItem[], item: CartItem): CartItem[] {
  const existing = lines.find((l) => l.variantId === item.variantId)?.quantity ?? 0;
  return [
    ...lines.filter((l) => l.variantId !== item.variantId),
    { productId: item.productId, variantId: item.variantId, quantity: existing + item.quantity },
  ];
}

/** Sets a variant's line's quantity (the line's product stays what it was). */
export function setQuantity(store: CartStore, item: Pick<CartItem, "variantId" | "quantity">): CartWriteFailure | null {
  const line = store.lines().find((l) => l.variantId === item.variantId);
  if (!line) return "line_not_found";
  store.putLine(line, item.quantity);
  return null;
}

export function removeItem(store: CartStore, variantId: string): CartWriteFailure | null {
  if (store.quantityOf(variantId) === null) return "line_not_found";
  store.deleteLine(variantId);
  return null;
}

export function clearItems(store: CartStore): CartWriteFailure | null {
  store.clearLines();
  return null;
}

/**
 * Merges a guest cart's lines into this (a user's) cart exactly once per guest cart id:
 * quantities are summed and capped at 99, lines beyond the 50-line limit are dropped.
 * The record of merged ids is what makes a replay change nothing.
 */
export function absorbLines(store: CartStore, guestCartId: string, lines: CartItem[]): boolean {
  if (!store.recordMerged(guestCartId)) return false;
  for (const line of lines) {
    const existing = store.quantityOf(line.variantId);
    if (existing !== null) {
      store.putLine(line, Math.min(MAX_QUANTITY, existing + line.quantity));
    } else if (store.lineCount() < MAX_CART_LINES) {
      store.putLine(line, Math.min(MAX_QUANTITY, line.quantity));
    }
  }
  return true;
}

/** Seals a guest cart after its lines moved into `userId`'s cart: it is emptied and refuses further writes. */
export function seal(store: CartStore, userId: string): void {
  store.clearLines();
  store.setMeta("merged_into", userId);
}

/** Takes the units an accepted order bought out of the cart, once per order. */
export function takeOrdered(store: CartStore, orderId: string, lines: CartItem[]): boolean {
  if (!store.recordApplied(orderId)) return false;
  for (const line of lines) {
    const existing = store.quantityOf(line.variantId);
    if (existing === null) continue;
    if (existing > line.quantity) store.putLine(line, existing - line.quantity);
    else store.deleteLine(line.variantId);
  }
  return true;
}

/** Records a guest cart's write, in the write's transaction: its idle expiry counts from here. */
export function touch(store: CartStore, now: number): void {
  store.putMeta("touched_at", String(now));
}

/**
 * When an idle guest cart is deleted: 30 days after its last write. The alarm is set once,
 * when the cart is created; when it fires early (the cart was written since) it is set again
 * for this time. A cart from before `touched_at` is due at once: its alarm was set by its last write.
 */
export function idleExpiry(store: CartStore): number {
  return Number(store.meta("touched_at") ?? 0) + GUEST_CART_TTL_MS;
}
