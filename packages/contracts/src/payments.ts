import { z } from "zod";
import type { CallMeta } from "./auth";
import { envelope } from "./envelope";
import { OrderId, PaymentId, RefundId, UserId } from "./ids";
import { Currency, MinorUnits } from "./money";

export const PaymentStatus = z.enum([
  "requires_payment",
  /** The shopper must finish a step at their bank (3-D Secure): see the payment's `nextAction`. */
  "requires_action",
  "processing",
  "succeeded",
  "failed",
  "cancelled",
  "refunded",
  "partially_refunded",
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/**
 * Stripe's documented test payment methods that the simulated provider (and the fake Stripe server
 * the tests use) implement, with Stripe's behaviour for each. Any other `pm_…` is refused as
 * Stripe refuses an unknown payment method (`resource_missing`).
 */
export const TEST_PAYMENT_METHODS = {
  /** Card payments that succeed synchronously: `succeeded` in the answer to create+confirm. */
  succeeds: ["pm_card_visa", "pm_card_mastercard", "pm_card_amex"],
  /** Card declines (HTTP 402 `card_error`), with Stripe's decline code. */
  declines: {
    pm_card_chargeDeclined: "card_declined",
    pm_card_chargeDeclinedInsufficientFunds: "insufficient_funds",
    pm_card_chargeDeclinedExpiredCard: "expired_card",
    pm_card_chargeDeclinedProcessingError: "processing_error",
  },
  /** 3-D Secure on every transaction: `requires_action` with a redirect the shopper must complete. */
  authenticationRequired: ["pm_card_authenticationRequired"],
  /** ACH Direct Debit: `processing`, settled later by a `payment_intent.succeeded` / `payment_failed` event. */
  bankDebits: { pm_usBankAccount_success: "succeeds", pm_usBankAccount_insufficientFunds: "insufficient_funds" },
} as const;

/**
 * The simulated bank's 3-D Secure page (`GET`, and its form's `POST` of
 * `application/x-www-form-urlencoded`): the one non-JSON body besides the Stripe webhook, which
 * the gateway and payments let through as is.
 */
export const AUTHENTICATE_PATH = /^\/payments\/authenticate\/[^/]+$/;

/** Where the shopper must go to finish the payment (3-D Secure); null when nothing is asked of them. */
export const NextAction = z
  .object({ type: z.literal("redirect_to_url"), url: z.url() })
  .meta({ id: "PaymentNextAction" });
export type NextAction = z.infer<typeof NextAction>;
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
  returnUrl?: string;
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
  /** The provider's machine-readable reason (Stripe decline or error code, e.g. `card_declined`). */
  failureCode?: string | null;
  /** Set while `requires_action`: where the shopper completes the payment. */
  nextAction?: NextAction | null;
  /** The money arrived after the payment had been recorded failed or cancelled (it is refunded). */
  receivedAfterClose?: boolean;
};
export type SettledSinceInput = { since: string; cursor?: string | null; limit?: number };
/** A settled payment and when its row last changed (what `settledSince` pages on). */
export type SettledPayment = PaymentSummary & { updatedAt: string };
export type SettledPaymentPage = { items: SettledPayment[]; nextCursor: string | null };
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
  /**
   * Reconciliation: payments that took money (succeeded, partially_refunded, refunded; late
   * successes included) whose row changed at or after `since`, oldest change first, keyset-paged.
   */
  settledSince(input: SettledSinceInput, meta?: CallMeta): Promise<SettledPaymentPage>;
  /**
   * Reconciliation: asks the provider where this payment's intent stands now and applies the
   * answer as a gateway event would (for a payment whose events were lost); returns the payment
   * after it. A payment that is no longer open is returned as it is.
   */
  sync(paymentId: string, meta?: CallMeta): Promise<PaymentSummary | null>;
}

/** What a payment is for and where it stands: the public view and its status events both carry these. */
const paymentFacts = {
  orderId: OrderId,
  userId: UserId,
  status: PaymentStatus,
  amount: MinorUnits,
  currency: Currency,
  amountRefunded: MinorUnits,
};

export const PaymentEventData = z.object({
  paymentId: PaymentId,
  ...paymentFacts,
  failureMessage: z.string().nullable(),
  // Optional so that events written before these fields existed still parse (version skew).
  failureCode: z.string().max(100).nullable().optional(),
  nextAction: NextAction.nullable().optional(),
  receivedAfterClose: z.boolean().optional(),
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
    /** Where the provider sends the shopper back after a 3-D Secure step (the storefront's order page). */
    returnUrl: z.url().max(2000).optional(),
  })
  .strict();

/** Public view of a payment (`GET /payments`, `GET /payments/{id}`). No card data, ever. */
export const Payment = z
  .object({
    id: PaymentId,
    ...paymentFacts,
    provider: z.enum(["stripe", "simulated"]),
    failureMessage: z.string().nullable(),
    /** The provider's code for the failure (e.g. `card_declined`, `amount_too_small`). */
    failureCode: z.string().nullable(),
    /** While `requires_action`: where the shopper completes the payment. */
    nextAction: NextAction.nullable(),
    /** The money arrived after the payment had been recorded failed or cancelled; the order refunds it. */
    receivedAfterClose: z.boolean(),
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
    /** Admin: only payments whose money arrived after they were recorded failed or cancelled (refunded automatically). */
    receivedAfterClose: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
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
