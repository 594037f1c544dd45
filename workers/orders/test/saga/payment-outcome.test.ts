import { describe, expect, it } from "vitest";
import { paymentOutcome } from "../../src/services/order-saga/payment-outcome";
import type { OrderRow } from "../../src/services/order-saga/types";

const row = (over: Partial<OrderRow> = {}): OrderRow => ({
  id: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
  number: 10042,
  user_id: "usr_01jd8x3v4k2m9q7r5t6w8y0zab",
  status: "awaiting_payment",
  market: null,
  currency: "USD",
  total: 1000,
  shipping_address: "{}",
  payment_method: "pm_card_visa",
  payment_id: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
  payment_status: "processing",
  amount_refunded: 0,
  failure_message: null,
  reserved: 1,
  refund_requested: 0,
  carrier: null,
  tracking_number: null,
  shipped_at: null,
  deadline_at: 0,
  reason: null,
  traceparent: null,
  created_at: "",
  updated_at: "",
  version: 1,
  creation: null,
  creation_status: null,
  creation_body: null,
  next_action_url: null,
  return_url: null,
  ...over,
});

const fact = (status: string, over: Record<string, unknown> = {}) =>
  ({
    paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zab",
    status,
    amountRefunded: 0,
    failureMessage: null,
    ...over,
  }) as Parameters<typeof paymentOutcome>[1];

describe("what a payment fact does to an order", () => {
  it("success while awaiting payment commits the stock", () => {
    expect(paymentOutcome(row(), fact("succeeded"))).toMatchObject({ addTasks: ["commit"] });
  });

  it("a repeated success while the commit is pending changes nothing", () => {
    expect(paymentOutcome(row({ payment_status: "succeeded" }), fact("succeeded"))).toBeNull();
  });

  it.each(["expired", "cancelled", "payment_failed", "rejected"] as const)(
    "success after the order closed as %s is refunded, once",
    (status) => {
      expect(paymentOutcome(row({ status }), fact("succeeded"))).toMatchObject({ addTasks: ["refund"] });
      expect(paymentOutcome(row({ status, refund_requested: 1 }), fact("succeeded"))).toBeNull();
    },
  );

  it.each(["paid", "shipped", "delivered"] as const)("a failure never moves a %s order", (status) => {
    expect(paymentOutcome(row({ status }), fact("failed"))).toBeNull();
  });

  it("failure while awaiting payment releases the stock and tells the shopper", () => {
    expect(paymentOutcome(row(), fact("failed", { failureMessage: "Declined" }))).toMatchObject({
      patch: { status: "payment_failed" },
      addTasks: ["release", "release_promotions"],
      notify: { type: "payment.failed", data: { reason: "Declined" } },
    });
  });

  it("a failure after the success was recorded is stale", () => {
    expect(paymentOutcome(row({ payment_status: "succeeded" }), fact("failed"))).toBeNull();
  });

  it("facts about another payment are ignored", () => {
    expect(paymentOutcome(row(), fact("succeeded", { paymentId: "pay_01jd8x3v4k2m9q7r5t6w8y0zzz" }))).toBeNull();
  });

  it("a full refund issued in payments turns a paid order refunded", () => {
    expect(paymentOutcome(row({ status: "paid" }), fact("refunded", { amountRefunded: 1000 }))).toMatchObject({
      patch: { status: "refunded", amount_refunded: 1000 },
      notify: { type: "order.refunded" },
    });
  });

  it("a synchronous success in create's answer commits: the order has no payment status yet", () => {
    // What place-task hands over right after `payments.create` answered `succeeded`.
    const placed = row({ payment_status: null, payment_id: "pay_01jd8x3v4k2m9q7r5t6w8y0zab" });
    expect(paymentOutcome(placed, fact("succeeded"))).toMatchObject({
      patch: { payment_status: "succeeded" },
      addTasks: ["commit"],
      doneTasks: ["expire"],
    });
  });

  it("requires_action keeps the order waiting and remembers where the shopper authenticates", () => {
    const url = "http://localhost:8787/payments/authenticate/pi_sim_x?client_secret=s";
    const change = paymentOutcome(
      row({ payment_status: null }),
      fact("requires_action", { nextAction: { type: "redirect_to_url", url } }),
    );
    expect(change).toMatchObject({ patch: { payment_status: "requires_action", next_action_url: url } });
    expect(change?.addTasks).toBeUndefined();
    // The same news again changes nothing; the success after it commits.
    expect(
      paymentOutcome(
        row({ payment_status: "requires_action", next_action_url: url }),
        fact("requires_action", { nextAction: { type: "redirect_to_url", url } }),
      ),
    ).toBeNull();
    expect(paymentOutcome(row({ payment_status: "requires_action" }), fact("succeeded"))).toMatchObject({
      addTasks: ["commit"],
    });
  });

  it("a failed authentication ends the order payment_failed with the stock released", () => {
    expect(
      paymentOutcome(
        row({ payment_status: "requires_action" }),
        fact("failed", { failureCode: "payment_intent_authentication_failure", failureMessage: "No" }),
      ),
    ).toMatchObject({
      patch: { status: "payment_failed" },
      addTasks: ["release", "release_promotions"],
      notify: { data: { failureCode: "payment_intent_authentication_failure" } },
    });
  });

  it.each(["succeeded", "failed", "requires_action", "processing"])(
    "a %s fact while the order is still being placed is left to placing (create reports it)",
    (status) => {
      expect(
        paymentOutcome(row({ status: "pending", payment_id: null, payment_status: null }), fact(status)),
      ).toBeNull();
    },
  );

  it("a late success on a closed order says why it is refunded", () => {
    expect(paymentOutcome(row({ status: "expired" }), fact("succeeded"))).toMatchObject({
      addTasks: ["refund"],
      patch: { refund_requested: 1 },
    });
  });
});
