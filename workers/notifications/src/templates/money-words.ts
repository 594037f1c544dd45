/**
 * Every sentence here is a promise to a customer about their money, so each says only what the
 * message's data proves. When a field is absent (a message queued before it existed, or a
 * sender that does not know) the words must be true in every case: never "no money was taken"
 * unless told so, never an amount that was not given.
 */
import { formatMoney, type NotificationMessage } from "@shop/contracts";

type Data<T extends NotificationMessage["type"]> = Extract<NotificationMessage, { type: T }>["data"];

/** What a message says about the money: one sentence for email (text and HTML), one for SMS. */
export type MoneyWords = { email: string; sms: string };

/** Stripe's decline and error codes in shoppers' words, for a failure that came without a message. */
const FAILURE_CODES: Record<string, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  incorrect_cvc: "The security code of your card is incorrect.",
  processing_error: "An error occurred while processing your card.",
  payment_intent_authentication_failure: "The card authentication (3-D Secure) did not succeed.",
  bank_insufficient_funds: "The bank account has insufficient funds.",
};

/** The reason line of a failed payment: the gateway's message, else its code in words, else none. */
export function failureReason(d: Data<"payment.failed">): string | null {
  if (d.reason) return d.reason;
  if (!d.failureCode) return null;
  return FAILURE_CODES[d.failureCode] ?? `The payment provider declined it (${d.failureCode}).`;
}

/** A payment reported failed took nothing, and the order's reservation is given back in the same step. */
export function paymentFailedMoney(): MoneyWords {
  return {
    email: "No money was taken and the items were released.",
    sms: "No money was taken and the items were released.",
  };
}

export function expiredMoney(d: Data<"order.expired">): MoneyWords {
  if (d.payment === "none") return { email: "No money was taken.", sms: "No money was taken." };
  if (d.payment === "refunding") {
    return {
      email:
        "Your payment reached us after the order had expired, so we are refunding it in full. You do not need to do anything.",
      sms: "Your payment arrived late and is being refunded in full; nothing to do.",
    };
  }
  return {
    email: "If any money was taken for it, it will be refunded in full automatically.",
    sms: "Any money taken for it will be refunded in full automatically.",
  };
}

export function cancelledMoney(d: Data<"order.cancelled">): MoneyWords {
  if (d.refund === "none") return { email: "No money was taken.", sms: "No money was taken." };
  if (d.refund === "refunding") {
    const amount = d.amount !== undefined && d.currency ? formatMoney(d.amount, d.currency) : null;
    return amount
      ? {
          email: `We are refunding ${amount} to the payment method you used.`,
          sms: `${amount} is being refunded to your payment method.`,
        }
      : {
          email: "We are refunding your payment to the payment method you used.",
          sms: "Your payment is being refunded to your payment method.",
        };
  }
  return {
    email: "If you were charged, your payment will be refunded in full to the payment method you used.",
    sms: "If you were charged, you will be refunded in full.",
  };
}

export function refundedMoney(d: Data<"order.refunded">): MoneyWords {
  const amount = formatMoney(d.amount, d.currency);
  const order = orderRef(d);
  switch (d.reason) {
    case "late_payment":
      return {
        email: `Your payment for order ${order} reached us after the order had expired, so we refunded it in full: ${amount}. You do not need to do anything.`,
        sms: `your payment for order ${order} arrived after it expired and was refunded in full (${amount}). Nothing to do.`,
      };
    case "after_failure":
      return {
        email: `Your payment for order ${order} went through after we had reported it failed, so we refunded it in full: ${amount}. You do not need to do anything.`,
        sms: `your payment for order ${order} went through after we reported it failed and was refunded in full (${amount}). Nothing to do.`,
      };
    case "cancelled":
      return {
        email: `We refunded ${amount} for your cancelled order ${order}.`,
        sms: `refunded ${amount} for cancelled order ${order}.`,
      };
    default:
      return {
        email: `We refunded ${amount} for your order ${order}.`,
        sms: `refunded ${amount} for order ${order}.`,
      };
  }
}

/** Shown with every refund: where the money goes and why it may not show at once. */
export const REFUND_ARRIVAL =
  "The money goes back to the payment method you used; your bank may take 5 to 10 business days to show it.";

/**
 * How messages name an order: by its number (`#10042`, ADR 0013), or by its id when the message
 * has no number (one queued before numbers existed).
 */
export function orderRef(d: { orderId: string; number?: number | undefined }): string {
  return d.number !== undefined ? `#${d.number}` : d.orderId;
}
