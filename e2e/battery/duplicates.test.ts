import { afterEach, expect, it } from "vitest";
import { verifyContacts } from "../support/contacts";
import { call, registerAndLogin } from "../support/http";
import { emailsTo, smsTo } from "../support/mailbox";
import { describeEachMode } from "../support/modes";
import { addToCart, createProduct, eventually, faults, placeOrder, record, settle } from "../support/shop";
import { fakeStripe } from "../support/stripe-fake";

/**
 * At-least-once, out-of-order delivery: every payment event and every provider outcome
 * (the simulated gateway's webhook, or Stripe's webhooks from the fake Stripe server) is
 * delivered 5 times with random delays — the order moves once, and the shopper hears about it
 * once per channel. The payment is a bank debit, so its outcome reaches the order only through
 * those events.
 */
describeEachMode("duplicates and disorder", (mode) => {
  afterEach(async () => {
    await faults("payments", null);
    if (mode === "stripe") await fakeStripe().resetDelivery();
  });

  it("payment events and provider outcomes ×5 out of order → 1 transition, 1 email, 1 SMS", async () => {
    const phone = `+1646555${String(Date.now()).slice(-4)}`;
    const buyer = await registerAndLogin("dupes", { phone });
    await verifyContacts(buyer); // SMS goes only to a verified phone
    const product = await createProduct(20);
    await addToCart(buyer.accessToken, product.id, 1);
    await faults("payments", {
      "payments.events": { mode: "duplicate", copies: 5 },
      ...(mode === "simulated" ? { "payments.simulator": { mode: "duplicate", copies: 5 } } : {}),
    });
    if (mode === "stripe") await fakeStripe().delivery({ duplicates: 4, shuffle: true, shuffleWindowMs: 3_000 });
    const placed = await placeOrder(buyer.accessToken, `dupes-${Date.now()}`, "pm_usBankAccount_success");
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    // SMS name the order by its number only (ADR 0013).
    const smsNamesOrder = new RegExp(`#${placed.body.number}\\b`);
    await settle(buyer.accessToken, orderId, "paid");
    // Let every copy (delayed up to 3 s, retried on conflict) arrive and be processed.
    await eventually(
      async () => (await emailsTo(buyer.email)).some((m) => `${m.subject} ${m.text}`.includes(orderId)),
      45_000,
      "confirmation email",
    );
    await new Promise((r) => setTimeout(r, 8_000));
    await faults("payments", null);
    if (mode === "stripe") await fakeStripe().resetDelivery();

    const order = await call("GET", `/orders/${orderId}`, { token: buyer.accessToken });
    const paidTransitions = (order.body.timeline as { status: string }[]).filter((e) => e.status === "paid").length;
    const mails = (await emailsTo(buyer.email)).filter((m) => `${m.subject} ${m.text}`.includes(orderId));
    const texts = (await smsTo(phone)).filter((m) => smsNamesOrder.test(m.body));
    const payments = await call("GET", "/payments", { token: buyer.accessToken });
    const forOrder = (payments.body.items as { orderId: string; status: string }[]).filter(
      (p) => p.orderId === orderId,
    );
    record(`duplicates ×5 + disorder [${mode}]`, {
      status: order.body.status,
      paidTransitions,
      emails: mails.length,
      sms: texts.length,
      payments: forOrder.length,
    });
    expect(order.body.status).toBe("paid");
    expect(paidTransitions).toBe(1);
    expect(mails.length).toBe(1);
    expect(texts.length).toBe(1);
    expect(forOrder).toHaveLength(1);
    expect(forOrder[0]!.status).toBe("succeeded");
  });
});
