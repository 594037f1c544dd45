import { z } from "zod";
import type { CallMeta } from "./auth";
import { ProductId } from "./ids";
import { Currency, type Money } from "./money";

/** Quantities a shopper may order of one product in one line. */
export const Quantity = z.int().min(1).max(99);

export const StockLine = z.object({ productId: ProductId, quantity: Quantity }).strict();
export type StockLine = z.infer<typeof StockLine>;

export type QuotedLine = {
  productId: string;
  found: boolean;
  /** false for archived products: they cannot be bought. */
  active: boolean;
  sku: string | null;
  name: string | null;
  unitPrice: Money | null;
  /** on_hand − reserved right now. */
  available: number;
  imageUrl: string | null;
};

export type ShortLine = {
  productId: string;
  requested: number;
  available: number;
  reason: "insufficient_stock" | "not_found" | "inactive";
};

export type ReserveResult =
  | {
      ok: true;
      orderId: string;
      expiresAt: string;
      lines: { productId: string; quantity: number }[];
      replayed: boolean;
    }
  | { ok: false; code: "insufficient_stock"; lines: ShortLine[] };

export type ReservationState = "active" | "committed" | "released" | "expired";

/**
 * commit: active → committed (on_hand and reserved drop). Already committed → ok (idempotent).
 * Released or expired → { ok: false, state }: the stock went back, the caller must refund.
 */
export type CommitResult = { ok: true; state: "committed" } | { ok: false; state: "released" | "expired" | "missing" };
/** release: active → released. Already released/expired/missing → ok. Committed → { ok: false, state: "committed" }. */
export type ReleaseResult = { ok: true; state: "released" | "expired" | "missing" } | { ok: false; state: "committed" };

/** RPC surface of the `products` worker (entrypoint `ProductsRpc`). Every call is safe to repeat. */
export interface ProductsRpc {
  quote(lines: { productId: string; quantity: number }[], meta?: CallMeta): Promise<QuotedLine[]>;
  /** All lines or none, atomically; idempotent by orderId. */
  reserve(orderId: string, lines: StockLine[], ttlSeconds: number, meta?: CallMeta): Promise<ReserveResult>;
  commit(orderId: string, meta?: CallMeta): Promise<CommitResult>;
  release(orderId: string, meta?: CallMeta): Promise<ReleaseResult>;
}

export const PriceInput = z.object({ amount: z.int().min(0).max(100_000_000), currency: Currency }).strict();
