import { newId } from "@shop/runtime";
import type {
  CancelResult,
  ConfirmInput,
  ConfirmResult,
  PaymentProvider,
  RefundInput,
  RefundOutcome,
} from "./provider";

/** A simulated gateway event, as the simulator queue carries it to the event-processing path. */
export type SimulatedEvent = {
  id: string;
  type: "payment_intent.succeeded" | "payment_intent.payment_failed";
  paymentId: string;
  providerRef: string;
  failureMessage: string | null;
};

type Outcome = { type: SimulatedEvent["type"]; failureMessage: string | null; delaySeconds: number };

/** Stripe's test payment methods and what they do; anything else is refused like an unknown method. */
const OUTCOMES: Record<string, Outcome> = {
  pm_card_visa: { type: "payment_intent.succeeded", failureMessage: null, delaySeconds: 0 },
  pm_card_mastercard: { type: "payment_intent.succeeded", failureMessage: null, delaySeconds: 0 },
  pm_card_visa_delayed: { type: "payment_intent.succeeded", failureMessage: null, delaySeconds: 2 },
  pm_card_chargeDeclined: {
    type: "payment_intent.payment_failed",
    failureMessage: "Your card was declined.",
    delaySeconds: 0,
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    type: "payment_intent.payment_failed",
    failureMessage: "Your card has insufficient funds.",
    delaySeconds: 0,
  },
};
const UNKNOWN_METHOD: Outcome = {
  type: "payment_intent.payment_failed",
  failureMessage: "This payment method is not accepted. Please use another card.",
  delaySeconds: 0,
};

/**
 * The local default gateway. Like Stripe with asynchronous methods, confirm answers
 * `processing` and the outcome comes back later as an event, through the simulator queue into
 * the same function that applies Stripe webhooks. Cancel and refund always succeed.
 */
export class SimulatedProvider implements PaymentProvider {
  readonly name = "simulated" as const;

  constructor(private readonly queue: Queue<SimulatedEvent>) {}

  async confirm(input: ConfirmInput): Promise<ConfirmResult> {
    const outcome = OUTCOMES[input.paymentMethod] ?? UNKNOWN_METHOD;
    // Deterministic per payment, so a retried create reuses the same intent reference.
    const providerRef = `sim_pi_${input.paymentId.slice(4)}`;
    const event: SimulatedEvent = {
      id: newId("event"),
      type: outcome.type,
      paymentId: input.paymentId,
      providerRef,
      failureMessage: outcome.failureMessage,
    };
    await this.queue.send(event, outcome.delaySeconds ? { delaySeconds: outcome.delaySeconds } : undefined);
    return { providerRef, status: "processing", failureMessage: null };
  }

  async cancel(_providerRef: string): Promise<CancelResult> {
    // The race with a pending outcome is settled by the conditional status update in D1.
    return { status: "cancelled" };
  }

  async refund(input: RefundInput): Promise<RefundOutcome> {
    return { ok: true, providerRef: `sim_re_${input.refundId.slice(4)}` };
  }
}
