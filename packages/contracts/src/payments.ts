import { z } from "zod";
import type { CallMeta } from "./auth";
import { envelope } from "./envelope";
import { OrderId, PaymentId, RefundId, UserId } from "./ids";
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
  /** The payment created for this order, if any (the caller may have lost the answer to `create`). */
  forOrder(orderId: string, meta?: CallMeta): Promise<PaymentSummary | null>;
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

/** What `orders` sends to `PaymentsRpc.create`; the payments worker validates its input with it. */
export const CreatePaymentInputSchema = z
  .object({
    orderId: OrderId,
    userId: UserId,
    amount: MinorUnits.min(1),
    currency: Currency,
    paymentMethod: PaymentMethod,
  })
  .strict();

/** Public view of a payment (`GET /payments`, `GET /payments/{id}`). No card data, ever. */
export const Payment = z
  .object({
    id: PaymentId,
    orderId: OrderId,
    userId: UserId,
    status: PaymentStatus,
    amount: MinorUnits,
    currency: Currency,
    amountRefunded: MinorUnits,
    provider: z.enum(["stripe", "simulated"]),
    failureMessage: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Payment" });
export type Payment = z.infer<typeof Payment>;

export const PaymentPage = z
  .object({ items: z.array(Payment), nextCursor: z.string().nullable() })
  .meta({ id: "PaymentPage" });

export const ListPaymentsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
    /** Admin only; customers always see their own. */
    status: PaymentStatus.optional(),
    orderId: OrderId.optional(),
    userId: UserId.optional(),
  })
  .strict();

export const RefundRequest = z
  .object({
    /** Minor units; defaults to everything not yet refunded. */
    amount: MinorUnits.min(1).optional(),
    reason: z.string().trim().min(1).max(500).meta({ example: "requested_by_customer" }),
  })
  .strict()
  .meta({ id: "RefundRequest" });

export const Refund = z
  .object({
    id: RefundId,
    paymentId: PaymentId,
    amount: MinorUnits,
    reason: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Refund" });

export const RefundResponse = z.object({ refund: Refund, payment: Payment }).meta({ id: "RefundResponse" });
