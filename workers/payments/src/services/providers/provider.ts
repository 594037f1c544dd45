import type { SQL } from "drizzle-orm";
import type { Statement } from "../../db/batch";

/** What a payment gateway does for us; `stripe` and `simulated` implement it. */
export type ProviderName = "stripe" | "simulated";

export type ConfirmInput = {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  /** Where the gateway sends the shopper back after a 3-D Secure step. */
  returnUrl: string | null;
  /** Same order + amount → same key, so a retried create never charges twice. */
  idempotencyKey: string;
};

/**
 * `ConfirmInput` for a confirm that rides on the batch claiming the payment: the payment's id
 * is SQL evaluated inside that batch, NULL when the claim found nothing to confirm (then the
 * gateway writes nothing).
 */
export type BatchedConfirmInput = Omit<ConfirmInput, "paymentId"> & { paymentId: SQL };

/** A confirm as statements for the caller's batch, and its answer from what they returned. */
export type BatchedConfirm = {
  statements: Statement[];
  /** The gateway's answer, given the results of `statements` (in order); only when the claim confirmed. */
  answer(results: D1Result[]): Promise<ConfirmResult>;
};

/**
 * The gateway's answer to create+confirm, as Stripe gives it: a card success is `succeeded` at
 * once; 3-D Secure is `requires_action` with a URL for the shopper; a bank debit is
 * `processing` and settles later by an event; a decline or a permanent error (unknown payment
 * method, amount too small, …) is `failed` with the gateway's code. Transient trouble (network,
 * 5xx, 429) is not an answer: it throws `ProviderUnavailableError`.
 */
export type ConfirmResult = {
  providerRef: string | null;
  status: "processing" | "succeeded" | "failed" | "requires_action";
  failureMessage: string | null;
  /** Stripe's decline code or error code, e.g. `card_declined`, `amount_too_small`, `resource_missing`. */
  failureCode: string | null;
  /** Set with `requires_action`: the page where the shopper authenticates. */
  nextActionUrl: string | null;
};

/** Where an intent stands at the gateway (after a cancel attempt, or when looked up). */
export type IntentState = {
  providerRef: string;
  status: "requires_payment" | "requires_action" | "processing" | "succeeded" | "failed" | "cancelled";
  failureMessage: string | null;
  failureCode: string | null;
};

/** Where the intent stands after a cancel attempt: `succeeded` means the money was taken first. */
export type CancelResult = { status: IntentState["status"] };

export type RefundInput = {
  paymentId: string;
  refundId: string;
  providerRef: string;
  amount: number;
  reason: string;
};

export type RefundOutcome = { ok: true; providerRef: string } | { ok: false; message: string };

export interface PaymentProvider {
  readonly name: ProviderName;
  confirm(input: ConfirmInput): Promise<ConfirmResult>;
  /**
   * Only a gateway that keeps its state in this worker's D1 (the simulator): `confirm` as
   * statements for the batch that claims the payment, so create pays no round trip for it.
   */
  confirmInBatch?(input: BatchedConfirmInput): BatchedConfirm;
  /** Cancels the intent if it still can be; otherwise reports where it is (e.g. `succeeded`). */
  cancel(providerRef: string): Promise<CancelResult>;
  /** The current state of an intent (reconciliation, lost events). */
  retrieve(providerRef: string): Promise<IntentState>;
  /**
   * The intent made for this order, if one reached the gateway although its answer was lost
   * (Stripe: search by `metadata['orderId']`). Null when none exists.
   */
  findByOrder(orderId: string): Promise<IntentState | null>;
  refund(input: RefundInput): Promise<RefundOutcome>;
}

/** The gateway could not be reached or answered 5xx/429: nothing is decided, the caller may retry. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderUnavailableError";
  }
}

/** Shown to shoppers when a gateway declines without a message of its own. */
export const GENERIC_DECLINE = "Your card was declined.";
