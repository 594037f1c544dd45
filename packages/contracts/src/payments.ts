import { z } from "zod";
import type { CallMeta } from "./auth";
import { envelope } from "./envelope";
import { OrderId, PaymentId, UserId } from "./ids";
import { Currency, MinorUnits } from "./money";

export const PaymentStatus = z.enum([
  "requires_payment",
  "processing",
  "succeeded",
  "failed",
  "cancelled",
  "refunded",
  "partially_refunded",
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/**
 * Stripe test payment-method names understood by the simulated provider (and by Stripe in test mode).
 * `pm_card_visa_delayed` is the simulated provider's own: it succeeds after a delay.
 */
export const TEST_PAYMENT_METHODS = [
  "pm_card_visa",
  "pm_card_mastercard",
  "pm_card_chargeDeclined",
  "pm_card_chargeDeclinedInsufficientFunds",
  "pm_card_visa_delayed",
] as const;
export const PaymentMethod = z
  .string()
  .regex(/^pm_[A-Za-z0-9_]{1,80}$/, "must be a payment method id (pm_…)")
  .meta({ example: "pm_card_visa" });

export type CreatePaymentInput = {
  orderId: string;
  userId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
};
export type PaymentSummary = {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  amountRefunded: number;
  /** Why it failed, in words a shopper can act on (e.g. "Your card was declined."). */
  failureMessage: string | null;
};
export type RefundResult =
  | { ok: true; refundId: string; payment: PaymentSummary; replayed: boolean }
  | { ok: false; code: "not_found" | "not_refundable" | "amount_too_large"; message: string };

/** RPC surface of the `payments` worker (entrypoint `PaymentsRpc`). */
export interface PaymentsRpc {
  /** Idempotent by orderId: a second call returns the first payment. */
  create(input: CreatePaymentInput, meta?: CallMeta): Promise<PaymentSummary>;
  /** Atomic with respect to a concurrent success: returns the final status, so the caller knows whether money was taken. */
  cancel(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null>;
  /** Idempotent per (paymentId, idempotencyKey); amount defaults to what is left to refund. */
  refund(
    input: { paymentId: string; amount?: number; reason: string; idempotencyKey: string },
    meta?: CallMeta,
  ): Promise<RefundResult>;
  get(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null>;
}

export const PaymentEventData = z.object({
  paymentId: PaymentId,
  orderId: OrderId,
  userId: UserId,
  status: PaymentStatus,
  amount: MinorUnits,
  currency: Currency,
  amountRefunded: MinorUnits,
  failureMessage: z.string().nullable(),
});
export type PaymentEventData = z.infer<typeof PaymentEventData>;

/** One message per payment status change on the `payment-events` queue. */
export const PaymentEvent = envelope("payment.status_changed", PaymentEventData);
export type PaymentEvent = z.infer<typeof PaymentEvent>;
