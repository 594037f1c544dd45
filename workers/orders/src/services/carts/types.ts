import type { QuotedLine } from "@shop/contracts";

/**
 * One line of a cart: a variant of a product and how many units (1..99), keyed by the variant
 * (ADR 0029). Prices are never stored: they are quoted on read.
 */
export type CartItem = { productId: string; variantId: string; quantity: number };
/** `exists: false` is both "never written" and "not yours": a caller cannot tell them apart. */
/** `market`: the market the cart was last priced in (ADR 0032); null for a cart from before markets (the default market). */
export type CartState = { exists: boolean; lines: CartItem[]; mergedInto: string | null; market: string | null };
export type CartWriteFailure =
  | "too_many_lines"
  | "quantity_limit"
  | "line_not_found"
  | "merged"
  | "missing"
  /** Adding at the catalog's word (addPurchasable): the product is unknown, archived, short, or in another currency. */
  | "not_in_catalog"
  | "archived"
  | "insufficient_stock"
  | "currency_mismatch"
  /** The catalog did not answer the quote. */
  | "catalog_unavailable"
  /** The catalog has no market of the code the request named (ADR 0032). */
  | "unknown_market";
export type CartWrite = { ok: true; state: CartState } | { ok: false; code: CartWriteFailure; state: CartState };
/**
 * Who is asking. `user`: the worker authorized the signed-in owner, whose id names this cart.
 * `guest`: whoever presents the guest cart's secret; `create` starts a new guest cart under
 * that secret and is only for an id the worker has just minted.
 */
export type CartAccess = { kind: "user"; userId: string } | { kind: "guest"; secret: string; create?: boolean };
/** A write made at the catalog's word, with the quotes it was judged by (the caller prices the cart with them). */
export type QuotedCartWrite = CartWrite & { quotes: QuotedLine[] };
