import { expect, it } from "vitest";
import { verifyContacts } from "../support/contacts";
import { call, registerAndLogin } from "../support/http";
import { emailsTo, smsTo } from "../support/mailbox";
import { describeEachMode } from "../support/modes";
import { ADDRESS, admin, eventually, settle } from "../support/shop";

/**
 * The journey every release must keep working while its neighbours still run the last release
 * (scripts/version-skew.mjs runs it with workers from two commits, ADR 0016). It asserts only
 * what both sides of a deploy must agree on — the calls, messages and data that cross worker
 * boundaries — not how a newer release words or enriches things: an old notifications worker
 * names an order by its id, a new one by its number, and either is a working shop.
 */
describeEachMode("version skew: from sign-up to a paid, shipped order", () => {
  it("signs up, browses, orders, pays, is told, and sees the order ship", async () => {
    const phone = `+1415555${String(Date.now()).slice(-4)}`;
    const shopper = await registerAndLogin("skew", { phone });
    const token = shopper.accessToken;

    // users ↔ notifications: verification link and code, then the welcome by email and SMS
    await verifyContacts(shopper);

    // gateway → products: the catalog
    const page = await call("GET", "/products?limit=10&sort=price_asc");
    expect(page.status).toBe(200);
    const candidate = page.body.items.find((p: { available: boolean }) => p.available);
    expect(candidate).toBeDefined();
    const detail = await call("GET", `/products/${candidate.id}`);
    expect(detail.status).toBe(200);
    const stockBefore = detail.body.availableQuantity as number;

    // orders → products (pricing, reservation) → payments (the card charge)
    const add = await call("POST", "/cart/items", { token, body: { productId: candidate.id, quantity: 2 } });
    expect(add.status).toBeLessThan(300);
    const placed = await call("POST", "/orders", {
      token,
      headers: { "idempotency-key": `skew-${Date.now()}` },
      body: { shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.total).toEqual({ amount: detail.body.price.amount * 2, currency: detail.body.price.currency });
    const orderId = placed.body.id as string;
    // An order number exists only where orders is new enough to hand them out.
    const names = [orderId, ...(placed.body.number ? [`#${placed.body.number}`] : [])];
    const namesOrder = (text: string) => names.some((n) => text.includes(n));

    // payments → orders (the payment's outcome), orders → products (stock committed)
    expect((await settle(token, orderId, "paid")).status).toBe("paid");
    const payments = await call("GET", "/payments", { token });
    expect(payments.status).toBe(200);
    expect(payments.body.items.find((p: { orderId: string }) => p.orderId === orderId)?.status).toBe("succeeded");
    expect((await call("GET", `/products/${candidate.id}`)).body.availableQuantity).toBe(stockBefore - 2);

    // orders → notifications: the confirmation by email and SMS
    await eventually(
      async () => (await emailsTo(shopper.email)).some((m) => namesOrder(`${m.subject} ${m.text}`)),
      30_000,
      "order confirmation email",
    );
    await eventually(
      async () => (await smsTo(phone)).some((m) => /confirmed/.test(m.body) && namesOrder(m.body)),
      30_000,
      "order confirmation SMS",
    );

    // an admin ships it: the shopper sees the tracking and is told
    const ship = await call("POST", `/orders/${orderId}/ship`, {
      token: await admin(),
      body: { carrier: "DHL", trackingNumber: "JJD000390007" },
    });
    expect(ship.status).toBe(200);
    const shipped = await call("GET", `/orders/${orderId}`, { token });
    expect(shipped.body.status).toBe("shipped");
    await eventually(
      async () => (await emailsTo(shopper.email)).some((m) => `${m.subject} ${m.text}`.includes("JJD000390007")),
      30_000,
      "shipping email with tracking",
    );
  });
});
