import type { PaymentStatus } from "@shop/contracts";

/**
 * The payment state machine, as "which statuses may precede this one". Writes use it in a
 * conditional `UPDATE … WHERE status IN (predecessors)`, so the database decides under
 * concurrency and a terminal status never moves backwards (a late `processing` after
 * `succeeded`, or a success after a cancel, simply matches no row).
 */
export const PREDECESSORS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  requires_payment: [],
  processing: ["requires_payment"],
  succeeded: ["requires_payment", "processing"],
  failed: ["requires_payment", "processing"],
  cancelled: ["requires_payment", "processing"],
  partially_refunded: ["succeeded", "partially_refunded"],
  refunded: ["succeeded", "partially_refunded"],
};

/** Money may still be taken: cancel is possible, a provider outcome is awaited. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ["requires_payment", "processing"];
/** Money was taken and not all of it has gone back. */
export const REFUNDABLE_STATUSES: readonly PaymentStatus[] = ["succeeded", "partially_refunded"];

export function canMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return PREDECESSORS[to].includes(from);
}
