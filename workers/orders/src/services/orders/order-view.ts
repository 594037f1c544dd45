import { type Currency, defaultVariantId, type Order, type OrderLine, type PaymentStatus } from "@shop/contracts";

/**
 * The parts of an order as the API shows it, built the same way from the OrderDO's own row
 * (`GET /orders/{id}`) and from the D1 projection (`GET /orders`): money, lines, payment and
 * tracking. Each caller reads its storage and hands plain facts here.
 */
export function moneyOf(amount: number | null, currency: Currency | null): Order["total"] {
  return currency && amount !== null ? { amount, currency } : null;
}

/**
 * An order line. `variantId` is empty only in a history row written by a release from before
 * variants (D1 migration 0005 defaults it): such a line was the product's default variant.
 */
export function lineView(line: {
  productId: string;
  variantId: string;
  sku: string | null;
  variantLabel: string;
  name: string;
  quantity: number;
  unitAmount: number;
  currency: Currency;
}): OrderLine {
  return {
    productId: line.productId,
    variantId: line.variantId || defaultVariantId(line.productId),
    sku: line.sku,
    variantLabel: line.variantLabel,
    name: line.name,
    quantity: line.quantity,
    unitPrice: { amount: line.unitAmount, currency: line.currency },
    lineTotal: { amount: line.unitAmount * line.quantity, currency: line.currency },
  };
}

export function paymentView(payment: {
  paymentId: string | null;
  status: string | null;
  amountRefunded: number;
  failureMessage: string | null;
  /** The 3-D Secure page, while the payment waits for the shopper (the DO's row keeps it). */
  nextActionUrl?: string | null;
}): Order["payment"] {
  const status = payment.status as PaymentStatus | null;
  return {
    paymentId: payment.paymentId,
    status,
    amountRefunded: payment.amountRefunded,
    failureMessage: payment.failureMessage,
    nextAction:
      status === "requires_action" && payment.nextActionUrl
        ? { type: "redirect_to_url", url: payment.nextActionUrl }
        : null,
  };
}

export function trackingView(carrier: string | null, trackingNumber: string | null, shippedAt: string | null) {
  return carrier && trackingNumber && shippedAt ? { carrier, trackingNumber, shippedAt } : null;
}
