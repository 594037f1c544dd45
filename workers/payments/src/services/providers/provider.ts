/** What a payment gateway does for us; `stripe` and `simulated` implement it. */
export type ProviderName = "stripe" | "simulated";

export type ConfirmInput = {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  /** Same order + amount → same key, so a retried create never charges twice. */
  idempotencyKey: string;
};

/** The gateway's answer to create+confirm. `processing`: the outcome arrives later as an event. */
export type ConfirmResult = {
  providerRef: string | null;
  status: "processing" | "succeeded" | "failed";
  failureMessage: string | null;
};

/** Where the intent stands after a cancel attempt: `succeeded` means the money was taken first. */
export type CancelResult = { status: "cancelled" | "succeeded" | "failed" | "processing" };

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
  cancel(providerRef: string): Promise<CancelResult>;
  refund(input: RefundInput): Promise<RefundOutcome>;
}

/** The gateway could not be reached or answered 5xx: nothing is decided, the caller may retry. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderUnavailableError";
  }
}

/** Shown to shoppers when a gateway declines without a message of its own. */
export const GENERIC_DECLINE = "Your card was declined.";
