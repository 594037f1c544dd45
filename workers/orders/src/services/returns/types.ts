import type { Currency, Return, ReturnReason, ReturnStatus } from "@shop/contracts";
import type { LineRow, OrderRow } from "../order-saga/types";

/** One returned order line: what the order line was (its price snapshot) and how many units go back. */
export type StoredReturnLine = {
  line: number;
  productId: string;
  variantId?: string;
  sku: string | null;
  name: string;
  quantity: number;
  unitAmount: number;
  currency: string;
};

/** A return as the order keeps it (the OrderDO's storage, ADR 0034). */
export type StoredReturn = {
  id: string;
  status: ReturnStatus;
  lines: StoredReturnLine[];
  reason: ReturnReason;
  note: string | null;
  rejection: string | null;
  refundShipping: boolean;
  refundAmount: number | null;
  refundId: string | null;
  /** The returned units are back on the shelf (products' restockReturn answered). */
  restocked: boolean;
  requestedAt: string;
  decidedAt: string | null;
  receivedAt: string | null;
  refundedAt: string | null;
  updatedAt: string;
  /** Grows with every change: the D1 index only takes a newer one. */
  version: number;
};

/**
 * The returned line for order line `index`. The stock line a return restocks is named here and
 * in `stockLineOf`: when order lines carry a variant, both pass it on.
 */
export function returnLineOf(line: LineRow, index: number, quantity: number, currency: string): StoredReturnLine {
  return {
    line: index,
    productId: line.product_id,
    variantId: line.variant_id,
    sku: line.sku,
    name: line.name ?? line.product_id,
    quantity,
    unitAmount: line.unit_amount ?? 0,
    currency: line.currency ?? currency,
  };
}

/** What products restocks for a returned line (a variant when the line names one, else the product). */
export function stockLineOf(line: StoredReturnLine): { productId: string; variantId?: string; quantity: number } {
  return {
    productId: line.productId,
    ...(line.variantId ? { variantId: line.variantId } : {}),
    quantity: line.quantity,
  };
}

export function returnView(row: Pick<OrderRow, "id" | "number" | "user_id" | "currency">, r: StoredReturn): Return {
  const currency = (row.currency ?? r.lines[0]?.currency ?? "USD") as Currency;
  return {
    id: r.id,
    orderId: row.id,
    orderNumber: row.number ?? null,
    userId: row.user_id,
    status: r.status,
    lines: r.lines.map((l) => ({
      line: l.line,
      productId: l.productId,
      ...(l.variantId ? { variantId: l.variantId } : {}),
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: { amount: l.unitAmount, currency: l.currency as Currency },
    })),
    reason: r.reason,
    note: r.note,
    rejection: r.rejection,
    refundShipping: r.refundShipping,
    refundAmount: r.refundAmount === null ? null : { amount: r.refundAmount, currency },
    refundId: r.refundId,
    requestedAt: r.requestedAt,
    decidedAt: r.decidedAt,
    receivedAt: r.receivedAt,
    refundedAt: r.refundedAt,
    updatedAt: r.updatedAt,
  };
}
