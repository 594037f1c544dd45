import { call } from "./http";
import { currentMode } from "./modes";
import { paymentOf } from "./payments";
import { fakeStripe } from "./stripe-fake";

/** An order a battery row placed, and whose token can read it. */
export type Placed = { orderId: string; token: string };

const CAPTURED = new Set(["succeeded", "partially_refunded", "refunded"]);

/**
 * What happened to the money of a row's orders: captured and refunded totals (minor units),
 * orders by status, and every violation of "never a charge without a paid order or a refund".
 * In Stripe mode the fake server's own ledger is checked too: at most one refund per intent,
 * and what it refunded matches what payments recorded.
 */
export async function moneyReport(orders: Placed[]) {
  let captured = 0;
  let refunded = 0;
  const byStatus: Record<string, number> = {};
  const violations: string[] = [];
  for (const { orderId, token } of orders) {
    const order = (await call("GET", `/orders/${orderId}`, { token })).body as { status: string };
    byStatus[`orders.${order.status}`] = (byStatus[`orders.${order.status}`] ?? 0) + 1;
    const payment = await paymentOf(orderId);
    if (!payment) continue;
    const charged = CAPTURED.has(payment.status) ? payment.amount : 0;
    captured += charged;
    refunded += payment.amountRefunded;
    if (charged > 0 && order.status !== "paid" && payment.amountRefunded !== payment.amount) {
      violations.push(`${orderId}: ${charged} captured, order ${order.status}, refunded ${payment.amountRefunded}`);
    }
    if (order.status === "paid" && payment.amountRefunded > 0) {
      violations.push(`${orderId}: paid but ${payment.amountRefunded} refunded`);
    }
    const intents = currentMode() === "stripe" ? await fakeStripe().intents(orderId) : [];
    for (const intent of intents) {
      const atStripe = (await fakeStripe().refundsOf(intent.id)).filter((r) => r.status !== "failed");
      const total = atStripe.reduce((n, r) => n + r.amount, 0);
      if (atStripe.length > 1) violations.push(`${orderId}: ${atStripe.length} refunds at Stripe`);
      if (total !== payment.amountRefunded) {
        violations.push(`${orderId}: Stripe refunded ${total}, payments recorded ${payment.amountRefunded}`);
      }
    }
  }
  return { captured, refunded, byStatus, violations };
}
