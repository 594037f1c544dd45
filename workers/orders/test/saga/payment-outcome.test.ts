import { describe, expect, it } from "vitest";
import { paymentOutcome } from "../../src/services/order-saga/payment-outcome";
import type { OrderRow } from "../../src/services/order-saga/types";

const row = (over: Partial<OrderRow> = {}): OrderRow => ({
  id: "ord_01jd8x3v4k2m9q7r5t6w8y0zab",
  user_id: "usr_01jd8x3v4k2m9q7r5t6w8y0zab",
  status: "awaiting_payment",
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
  creation_status: 201,
  creation_body: null,
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
      addTasks: ["release"],
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
});
