import { afterEach, beforeAll, expect, it } from "vitest";
import { call, registerAndLogin } from "../support/http";
import { currentSystem, describeEachMode, type PaymentMode } from "../support/modes";
import { moneyReport, type Placed } from "../support/money";
import { answerAuthentication, intentOf, nextActionUrl, paymentOf, settleBankDebit } from "../support/payments";
import {
  addToCart,
  admin,
  createProduct,
  eventually,
  faults,
  placeOrder,
  record,
  settle,
  stockOf,
} from "../support/shop";
import { fakeStripe } from "../support/stripe-fake";

/**
 * Payments that behave like Stripe's, in each provider mode: 3-D Secure answered, failed or
 * abandoned; a bank debit settling later; money that arrives after the order gave up on it;
 * permanent provider errors; a payment event that died in the dead-letter queue; a payment whose
 * every gateway event was lost. Each row reports the money captured and refunded and the orders
 * by status, and fails on any charge without a paid order or a refund.
 */
const STOCK = 5;
/** The fake Stripe server's default time for a bank debit to settle on its own. */
const BANK_SETTLE_MS = 1500;
/** Every webhook type the fake sends: the lost-events row drops them all while the order is placed. */
const EVERY_EVENT = [
  "payment_intent.created",
  "payment_intent.requires_action",
  "payment_intent.processing",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "refund.created",
  "refund.updated",
];

describeEachMode("payments", (mode: PaymentMode) => {
  let token: string;
  beforeAll(async () => {
    token = (await registerAndLogin(`pay-${mode}`)).accessToken;
  });
  afterEach(async () => {
    for (const s of ["payments", "orders"]) await faults(s, null);
    if (mode === "stripe") {
      await fakeStripe().resetDelivery();
      await fakeStripe().configure({ settleMs: BANK_SETTLE_MS });
    }
  });

  /** One unit of a fresh product (stock 5) ordered with `paymentMethod`. */
  async function order(paymentMethod: string, price = 2500) {
    const product = await createProduct(STOCK, { price });
    await addToCart(token, product.id, 1);
    const placed = await placeOrder(token, `pay-${mode}-${paymentMethod}-${Date.now()}`, paymentMethod);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    return { productId: product.id, orderId: placed.body.id as string, placed: placed.body };
  }

  /** Records the row and asserts the money rule; returns the report for row-specific checks. */
  async function report(row: string, orders: Placed[], extra: Record<string, number | string | boolean> = {}) {
    const money = await moneyReport(orders);
    record(`payments [${mode}]: ${row}`, {
      captured: money.captured,
      refunded: money.refunded,
      ...money.byStatus,
      ...extra,
      violations: money.violations.length,
    });
    expect(money.violations).toEqual([]);
    return money;
  }

  const stockBack = async (productId: string) =>
    eventually(
      async () => {
        const s = await stockOf(productId);
        return s.reserved === 0 ? s : undefined;
      },
      30_000,
      "the reservation to be released",
    );

  /** The order's timeline entries with `status`. */
  const transitions = async (orderId: string, status: string) =>
    ((await call("GET", `/orders/${orderId}`, { token })).body.timeline as { status: string }[]).filter(
      (e) => e.status === status,
    ).length;

  const deadlineMs = () => currentSystem().deadlineSeconds * 1000;

  it("3-D Secure approved → paid, the unit sold", async () => {
    const { productId, orderId } = await order("pm_card_authenticationRequired");
    const answer = await answerAuthentication(await nextActionUrl(token, orderId), "approve");
    const final = await settle(token, orderId, undefined, 30_000);
    const stock = await stockBack(productId);
    await report("3-D Secure approved", [{ orderId, token }], { page: answer.status, onHand: stock.onHand });
    expect(final.status).toBe("paid");
    expect(stock.onHand).toBe(STOCK - 1);
  });

  it("3-D Secure failed → payment_failed, stock back, nothing captured", async () => {
    const { productId, orderId } = await order("pm_card_authenticationRequired");
    const answer = await answerAuthentication(await nextActionUrl(token, orderId), "fail");
    const final = await settle(token, orderId, undefined, 30_000);
    const stock = await stockBack(productId);
    const money = await report("3-D Secure failed", [{ orderId, token }], {
      page: answer.status,
      onHand: stock.onHand,
    });
    expect(final.status).toBe("payment_failed");
    expect(stock.onHand).toBe(STOCK);
    expect(money.captured).toBe(0);
  });

  it("3-D Secure abandoned → expired at the deadline, the intent cancelled at the provider", async () => {
    const { productId, orderId } = await order("pm_card_authenticationRequired");
    await nextActionUrl(token, orderId);
    const final = await settle(token, orderId, undefined, deadlineMs() + 45_000);
    const payment = await eventually(
      async () => {
        const p = await paymentOf(orderId);
        return p?.status === "cancelled" ? p : undefined;
      },
      30_000,
      "the payment to be cancelled",
    );
    const atProvider = mode === "stripe" ? (await fakeStripe().intent(await intentOf(orderId))).status : payment.status;
    const stock = await stockBack(productId);
    await report("3-D Secure abandoned", [{ orderId, token }], { provider: atProvider, onHand: stock.onHand });
    expect(final.status).toBe("expired");
    expect(["canceled", "cancelled"]).toContain(atProvider);
    expect(stock.onHand).toBe(STOCK);
  });

  it("asynchronous settle: bank debits wait in processing, then are paid or fail", async () => {
    const ok = await order("pm_usBankAccount_success");
    const poor = await order("pm_usBankAccount_insufficientFunds");
    const waiting = await call("GET", `/orders/${ok.orderId}`, { token });
    await settleBankDebit(ok.orderId);
    await settleBankDebit(poor.orderId);
    const [paid, failed] = [await settle(token, ok.orderId), await settle(token, poor.orderId)];
    const [s1, s2] = [await stockBack(ok.productId), await stockBack(poor.productId)];
    await report(
      "asynchronous settle",
      [
        { orderId: ok.orderId, token },
        { orderId: poor.orderId, token },
      ],
      { waitedIn: `${waiting.body.status}/${waiting.body.payment?.status}` },
    );
    expect(waiting.body.status).toBe("awaiting_payment");
    expect(paid.status).toBe("paid");
    expect(failed.status).toBe("payment_failed");
    expect([s1.onHand, s2.onHand]).toEqual([STOCK - 1, STOCK]);
  });

  it("late success after the deadline → kept only with a paid order, otherwise refunded exactly once", async () => {
    if (mode === "stripe") {
      // 3-D Secure never answered: the order expires and the intent is cancelled at Stripe; then
      // Stripe reports the money taken after all (forced at the fake: "the money arrived anyway").
      const { productId, orderId } = await order("pm_card_authenticationRequired");
      await nextActionUrl(token, orderId);
      const expired = await settle(token, orderId, undefined, deadlineMs() + 45_000);
      await fakeStripe().force(await intentOf(orderId), "succeeded");
      const payment = await eventually(
        async () => {
          const p = await paymentOf(orderId);
          return p && p.amountRefunded > 0 ? p : undefined;
        },
        60_000,
        "the late payment to be refunded",
      );
      // Let any duplicate of the late success arrive: it must not refund twice.
      await new Promise((r) => setTimeout(r, 5_000));
      const after = await paymentOf(orderId);
      const stock = await stockBack(productId);
      const money = await report("late success after expiry", [{ orderId, token }], {
        expiredAs: expired.status,
        receivedAfterClose: after?.receivedAfterClose ?? false,
        refundedTimeline: await transitions(orderId, "refunded"),
      });
      expect(expired.status).toBe("expired");
      expect(after?.receivedAfterClose).toBe(true);
      expect(after?.amountRefunded).toBe(payment.amount);
      expect(money.captured).toBe(payment.amount);
      expect(money.refunded).toBe(payment.amount);
      expect(stock.onHand).toBe(STOCK);
      return;
    }
    // Simulated: a bank debit whose settlement is held back past the deadline. A debit that is
    // processing cannot be cancelled (as at Stripe), so the order waits for it and is paid.
    await faults("payments", {
      "payments.simulator.consume": { mode: "delay", delayMs: deadlineMs() + 10_000 },
    });
    const { productId, orderId } = await order("pm_usBankAccount_success");
    const final = await settle(token, orderId, undefined, deadlineMs() + 60_000);
    await faults("payments", null);
    await new Promise((r) => setTimeout(r, 5_000));
    const stock = await stockBack(productId);
    const money = await report("late success after the deadline", [{ orderId, token }], {
      final: final.status,
      paidTimeline: await transitions(orderId, "paid"),
    });
    expect(final.status).toBe("paid");
    expect(money.refunded).toBe(0);
    expect(stock.onHand).toBe(STOCK - 1);
  });

  it("success after cancel → refunded exactly once", async () => {
    const { productId, orderId } = await order("pm_card_authenticationRequired");
    const url = await nextActionUrl(token, orderId);
    if (mode === "stripe") {
      // The shopper cancels while the bank asks; then the intent succeeds anyway and Stripe says so.
      const cancelled = await call("POST", `/orders/${orderId}/cancel`, { token, body: {} });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      await eventually(async () => (await paymentOf(orderId))?.status === "cancelled", 30_000, "payment cancelled");
      await fakeStripe().force(await intentOf(orderId), "succeeded");
    } else {
      // The shopper approves at the bank, and cancels the order before the success is delivered.
      await faults("payments", { "payments.simulator.consume": { mode: "delay", delayMs: 8_000 } });
      await answerAuthentication(url, "approve");
      const cancelled = await call("POST", `/orders/${orderId}/cancel`, { token, body: {} });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    }
    const payment = await eventually(
      async () => {
        const p = await paymentOf(orderId);
        return p && p.amountRefunded > 0 ? p : undefined;
      },
      60_000,
      "the money to be refunded",
    );
    await faults("payments", null);
    await new Promise((r) => setTimeout(r, 10_000));
    const after = await paymentOf(orderId);
    const final = await call("GET", `/orders/${orderId}`, { token });
    const stock = await stockBack(productId);
    const money = await report("success after cancel", [{ orderId, token }], {
      receivedAfterClose: after?.receivedAfterClose ?? false,
      refundedTimeline: await transitions(orderId, "refunded"),
    });
    expect(["cancelled", "refunded"]).toContain(final.body.status);
    expect(after?.amountRefunded).toBe(payment.amount);
    expect(money.refunded).toBe(payment.amount);
    expect(stock.onHand).toBe(STOCK);
  });

  it("permanent provider errors (amount too small, unknown method) → payment_failed at once, stock back", async () => {
    const started = Date.now();
    const small = await order("pm_card_visa", 30);
    const unknown = await order("pm_card_doesNotExist");
    const [a, b] = [
      await settle(token, small.orderId, undefined, 20_000),
      await settle(token, unknown.orderId, undefined, 20_000),
    ];
    const seconds = Math.round((Date.now() - started) / 1000);
    const [s1, s2] = [await stockBack(small.productId), await stockBack(unknown.productId)];
    const [p1, p2] = [await paymentOf(small.orderId), await paymentOf(unknown.orderId)];
    await report(
      "permanent error",
      [
        { orderId: small.orderId, token },
        { orderId: unknown.orderId, token },
      ],
      { codes: `${p1?.failureCode ?? "-"}/${p2?.failureCode ?? "-"}`, seconds },
    );
    expect([a.status, b.status]).toEqual(["payment_failed", "payment_failed"]);
    expect([s1.onHand, s2.onHand]).toEqual([STOCK, STOCK]);
    expect(p1?.failureCode).toBe("amount_too_small");
    expect(p2?.failureCode).toBe("resource_missing");
  });

  it("a dead-lettered payment event, replayed by an admin → the order is correct", async () => {
    const adminToken = await admin();
    if (mode === "stripe") await fakeStripe().configure({ settleMs: 10 * 60_000 });
    const { productId, orderId } = await order("pm_usBankAccount_success");
    // Every payment event of this one order fails in orders' consumer until it is dead-lettered.
    await faults("orders", { [`orders.payment-events.poison:${orderId}`]: { mode: "error" } });
    await settleBankDebit(orderId);
    await eventually(async () => (await paymentOf(orderId))?.status === "succeeded", 30_000, "payment succeeded");
    type Letter = {
      id: string;
      status: string;
      replayable: boolean;
      body: { data?: { orderId?: string; status?: string } };
    };
    const dead = await eventually(
      async () => {
        const page = await call("GET", "/orders/dead-letters?status=dead&limit=100", { token: adminToken });
        return (page.body?.items as Letter[] | undefined)?.filter((l) => l.body?.data?.orderId === orderId).length
          ? (page.body.items as Letter[]).filter((l) => l.body?.data?.orderId === orderId)
          : undefined;
      },
      90_000,
      "the payment event in the dead-letter list",
    );
    const before = (await call("GET", `/orders/${orderId}`, { token })).body.status as string;
    await faults("orders", null);
    const outcomes: string[] = [];
    for (const letter of dead) {
      const replay = await call("POST", `/orders/dead-letters/${letter.id}/replay`, { token: adminToken, body: {} });
      expect(replay.status, JSON.stringify(replay.body)).toBe(200);
      outcomes.push(String(replay.body.replayOutcome));
      // Replaying twice changes nothing.
      const again = await call("POST", `/orders/dead-letters/${letter.id}/replay`, { token: adminToken, body: {} });
      expect(again.status).toBeLessThan(500);
    }
    const final = await settle(token, orderId, undefined, 30_000);
    const stock = await stockBack(productId);
    await report("dead-lettered event replayed", [{ orderId, token }], {
      deadLetters: dead.length,
      orderBefore: before,
      replayed: outcomes.join("/"),
      paidTimeline: await transitions(orderId, "paid"),
    });
    expect(final.status).toBe("paid");
    expect(await transitions(orderId, "paid")).toBe(1);
    expect(stock.onHand).toBe(STOCK - 1);
  });

  it("reconciliation repairs an order whose every gateway event was lost", async () => {
    const adminToken = await admin();
    // Every webhook is lost while the order is placed (its id is not known before), then every
    // webhook of its intent; the simulated gateway's deliveries all fail until they are dead-lettered.
    if (mode === "stripe") await fakeStripe().delivery({ dropTypes: EVERY_EVENT });
    else await faults("payments", { "payments.simulator.consume": { mode: "error" } });
    const { productId, orderId } = await order("pm_card_authenticationRequired");
    if (mode === "stripe") await fakeStripe().delivery({ dropOrders: [orderId], dropTypes: [] });
    // The shopper completes 3-D Secure: the provider has the money, and nobody hears of it.
    await answerAuthentication(await nextActionUrl(token, orderId), "approve");
    await new Promise((r) => setTimeout(r, 3_000));
    const before = (await call("GET", `/orders/${orderId}`, { token })).body.status as string;
    await faults("payments", null);
    // Reconciliation runs on a schedule; an admin can run it now. Past the deadline the order is overdue.
    const runs: { repairs: { orderId: string }[]; problems: { orderId: string | null }[] }[] = [];
    let final: { status: string } | undefined;
    for (const until = Date.now() + deadlineMs() + 60_000; !final && Date.now() < until; ) {
      const run = await call("POST", "/orders/reconciliation", { token: adminToken, body: {} });
      if (run.status === 200 || run.status === 201) runs.push(run.body);
      const o = (await call("GET", `/orders/${orderId}`, { token })).body;
      if (!["pending", "awaiting_payment"].includes(o.status)) final = o;
      else await new Promise((r) => setTimeout(r, 2_000));
    }
    const repairs = runs.flatMap((r) => r.repairs ?? []).filter((r) => r.orderId === orderId).length;
    const last = await call("GET", "/orders/reconciliation", { token: adminToken });
    const stock = await stockBack(productId);
    const money = await report("reconciliation after lost events", [{ orderId, token }], {
      orderBefore: before,
      runs: runs.length,
      repairs,
      lastReport: last.status,
    });
    expect(before).toBe("awaiting_payment");
    expect(final?.status).toBe("paid");
    expect(money.captured).toBeGreaterThan(0);
    expect(stock.onHand).toBe(STOCK - 1);
  });
});
