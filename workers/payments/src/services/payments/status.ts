import type { PaymentStatus } from "@shop/contracts";

/**
 * The payment state machine, as "which statuses may precede this one". Writes use it in a
 * conditional `UPDATE … WHERE status IN (predecessors)`, so the database decides under
 * concurrency and a terminal status never moves backwards (a late `processing` after
 * `succeeded`, or a success after a cancel, simply matches no row).
 */
export const PREDECESSORS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  requires_payment: [],
  requires_action: ["requires_payment"],
  processing: ["requires_payment", "requires_action"],
  succeeded: ["requires_payment", "requires_action", "processing"],
  failed: ["requires_payment", "requires_action", "processing"],
  cancelled: ["requires_payment", "requires_action", "processing"],
  partially_refunded: ["succeeded", "partially_refunded"],
  refunded: ["succeeded", "partially_refunded"],
};

/**
 * Closed without taking money, as far as we knew: a success reported after this is money that
 * arrived anyway. It is recorded (`succeeded`, `received_after_close`), never dropped, so the
 * order refunds it.
 */
export const CLOSED_WITHOUT_MONEY: readonly PaymentStatus[] = ["failed", "cancelled"];

/** Money may still be taken: cancel is possible, a provider outcome is awaited. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ["requires_payment", "requires_action", "processing"];
/** Money was taken and not all of it has gone back. */
export const REFUNDABLE_STATUSES: readonly PaymentStatus[] = ["succeeded", "partially_refunded"];
