import { afterEach, expect, it } from "vitest";
import { verifyContacts } from "../support/contacts";
import { call, registerAndLogin } from "../support/http";
import { emailsTo, smsTo } from "../support/mailbox";
import { describeEachMode, type PaymentMode } from "../support/modes";
import { addToCart, admin, createProduct, eventually, faults, placeOrder, record, stockOf } from "../support/shop";
import { fakeStripe } from "../support/stripe-fake";

/**
 * Faults at each step of the saga, injected through the test-only switches. Whatever the
 * client was told at the time, afterwards: no payment captured without an order, no
 * reservation outliving its order, stock conserved (initial = on hand + sold).
 */
const SERVICES = ["products", "orders", "payments", "notifications"];
const SETTLED = new Set(["paid", "rejected", "payment_failed", "expired", "cancelled", "refunded"]);

/**
 * A fault switch of one service; `modes` limits a case to the provider modes it exists in, and
 * `stripe` arms a fault of the fake Stripe server itself (`POST /__fake/faults`).
 */
type Case = {
  name: string;
  service: string;
  specs: Record<string, unknown>;
  modes?: PaymentMode[];
  stripe?: { status: number; count: number };
};
const CASES: Case[] = [
  { name: "reserve fails once", service: "products", specs: { "products.reserve": { mode: "error", times: 1 } } },
  {
    name: "payment create fails twice",
    service: "payments",
    specs: { "payments.create": { mode: "error", times: 2 } },
  },
  {
    name: "payments slow (4 s)",
    service: "payments",
    specs: { "payments.create": { mode: "delay", delayMs: 4000, times: 1 } },
  },
  {
    name: "provider outcome consumer throws",
    service: "payments",
    specs: { "payments.simulator.consume": { mode: "error", times: 2 } },
    modes: ["simulated"],
  },
  {
    name: "Stripe API answers 503 twice",
    service: "payments",
    specs: {},
    modes: ["stripe"],
    stripe: { status: 503, count: 2 },
  },
  {
    name: "webhook endpoint fails twice",
    service: "payments",
    specs: { "payments.http": { mode: "error", times: 2 } },
    modes: ["stripe"],
  },
  {
    name: "orders consumer throws",
    service: "orders",
    specs: { "orders.payment-events": { mode: "error", times: 3 } },
  },
  { name: "stock commit fails twice", service: "products", specs: { "products.commit": { mode: "error", times: 2 } } },
  {
    name: "notifications consumer throws",
    service: "notifications",
    specs: { "notifications.consume": { mode: "error", times: 2 } },
  },
  { name: "SMS provider down", service: "notifications", specs: { "notifications.sms": { mode: "error", times: 3 } } },
];

describeEachMode("faults at each saga step", (mode) => {
  afterEach(async () => {
    for (const s of SERVICES) await faults(s, null);
  });

  const cases = CASES.filter((c) => !c.modes || c.modes.includes(mode));
  it.each(cases)("$name → the invariants hold afterwards", async ({ name, service, specs, stripe }) => {
    const phone = `+1917555${String(Date.now()).slice(-4)}`;
    const buyer = await registerAndLogin("faults", { phone });
    // SMS goes only to a verified phone; the sign-up's messages are all out before the fault.
    await verifyContacts(buyer);
    const STOCK = 5;
    const product = await createProduct(STOCK);
    await addToCart(buyer.accessToken, product.id, 2);
    await faults(service, specs);
    if (stripe) await fakeStripe().fail(stripe.status, stripe.count);

    // The client retries with the same key, as a real one would after a 5xx or a timeout.
    const key = `faults-${Date.now()}`;
    // 202 means "accepted, still being placed": the order's own alarm finishes the steps.
    let placed = await placeOrder(buyer.accessToken, key);
    for (let i = 0; i < 5 && (placed.status >= 500 || placed.status === 409); i++) {
      if (placed.status === 409 && placed.body.code !== "idempotency_in_flight") break;
      await new Promise((r) => setTimeout(r, 1_000));
      placed = await placeOrder(buyer.accessToken, key);
    }
    expect([201, 202, 409], JSON.stringify(placed.body)).toContain(placed.status);
    const orderId = placed.status === 201 || placed.status === 202 ? (placed.body.id as string) : undefined;
    // SMS name the order by its number only (ADR 0013).
    const smsNamesOrder = new RegExp(`#${placed.body?.number}\\b`);

    let status = "none";
    if (orderId) {
      const order = await eventually(
        async () => {
          const o = await call("GET", `/orders/${orderId}`, { token: buyer.accessToken });
          return SETTLED.has(o.body.status) ? o.body : undefined;
        },
        90_000,
        `order to settle (${name})`,
      );
      status = order.status;
    }
    await faults(service, null);

    // Invariants.
    const stock = await eventually(
      async () => {
        const s = await stockOf(product.id);
        return s.reserved === 0 ? s : undefined;
      },
      30_000,
      "no reservation outliving its order",
    );
    const sold = status === "paid" ? 2 : 0;
    const payments = await call("GET", `/payments?limit=100${orderId ? `&orderId=${orderId}` : ""}`, {
      token: await admin(),
    });
    const forOrder = orderId ? (payments.body.items as { status: string }[]) : [];
    const captured = forOrder.filter((p) => p.status === "succeeded").length;
    let emails = 0;
    let sms = 0;
    if (status === "paid" && orderId) {
      await eventually(
        async () => (await emailsTo(buyer.email)).some((m) => `${m.subject} ${m.text}`.includes(orderId)),
        60_000,
        "email",
      );
      await eventually(async () => (await smsTo(phone)).some((m) => smsNamesOrder.test(m.body)), 60_000, "sms");
      await new Promise((r) => setTimeout(r, 2_000));
      emails = (await emailsTo(buyer.email)).filter((m) => `${m.subject} ${m.text}`.includes(orderId)).length;
      sms = (await smsTo(phone)).filter((m) => smsNamesOrder.test(m.body)).length;
    }
    record(`fault: ${name} [${mode}]`, {
      order: status,
      captured,
      onHand: stock.onHand,
      reserved: stock.reserved,
      emails,
      sms,
    });

    expect(stock.onHand + sold).toBe(STOCK);
    // Money is only ever kept for a paid order.
    if (status !== "paid") expect(captured).toBe(0);
    else {
      expect(captured).toBe(1);
      expect(emails).toBe(1);
      expect(sms).toBe(1);
    }
  });
});
