import { EDGE_HOT_CATALOG_MS } from "@shop/contracts";
import { expect, it } from "vitest";
import { verificationToken, verifyContacts } from "../support/contacts";
import { call, registerAndLogin } from "../support/http";
import { emailsTo, smsTo } from "../support/mailbox";
import { describeEachMode } from "../support/modes";
import { ADDRESS, admin, eventually, settle } from "../support/shop";

/**
 * The seed's journey, through the gateway only: register and log in, verify email and phone,
 * browse, order (stock is checked and reserved), the payment completes and flows back to the
 * order, the shopper is told by email and SMS — then the order ships, arrives, and stays in the
 * history. Once per payment provider mode: the simulated gateway, and Stripe (the fake Stripe server).
 */
describeEachMode("journey: from browsing to a delivered order", () => {
  it("walks the five interactions and the order's life after payment", async () => {
    const phone = `+1415555${String(Date.now()).slice(-4)}`;
    const shopper = await registerAndLogin("journey", { phone });
    const token = shopper.accessToken;

    // 1. registration: the address gets its verification link, the unproven phone nothing; once
    // the shopper confirms the phone (code by SMS) and the email (the link), the welcome
    // arrives by email and SMS
    await verificationToken(shopper.email);
    expect(await smsTo(phone)).toEqual([]);
    await verifyContacts(shopper);
    expect((await emailsTo(shopper.email)).filter((m) => m.subject === "Welcome to Shop")).toHaveLength(1);
    expect((await smsTo(phone)).filter((m) => m.body.startsWith("Welcome to Shop"))).toHaveLength(1);

    // 2. browsing: categories, search, a product page
    const categories = await call("GET", "/categories");
    expect(categories.status).toBe(200);
    expect(categories.body.items.length).toBeGreaterThanOrEqual(5);
    const page = await call("GET", "/products?limit=10&sort=price_asc");
    expect(page.status).toBe(200);
    const candidate = page.body.items.find((p: { available: boolean }) => p.available);
    const detail = await call("GET", `/products/${candidate.id}`);
    expect(detail.status).toBe(200);
    const stockBefore = detail.body.availableQuantity as number;
    const word = (detail.body.name as string).split(/\s+/)[0]!;
    const search = await call("GET", `/products?q=${encodeURIComponent(word)}`);
    expect(search.body.items.map((p: { id: string }) => p.id)).toContain(candidate.id);

    // 3. the order: the cart is priced by the catalog, stock is reserved, the payment starts
    // A variant on sale (ADR 0029): a product without options has one, its default.
    const variant = (detail.body.variants as { id: string; available: boolean; price: unknown; sku: string }[]).find(
      (v) => v.available,
    )!;
    const add = await call("POST", "/cart/items", {
      token,
      body: { productId: candidate.id, variantId: variant.id, quantity: 2 },
    });
    expect(add.status).toBeLessThan(300);
    const cart = await call("GET", "/cart", { token });
    expect(cart.body.lines[0]).toMatchObject({ variantId: variant.id, sku: variant.sku, unitPrice: variant.price });
    const placed = await call("POST", "/orders", {
      token,
      headers: { "idempotency-key": `journey-${Date.now()}` },
      body: { shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" },
    });
    expect(placed.status).toBe(201);
    expect(["pending", "awaiting_payment", "paid"]).toContain(placed.body.status);
    const price = variant.price as { amount: number; currency: string };
    expect(placed.body.total).toEqual({ amount: price.amount * 2, currency: price.currency });
    expect(placed.body.lines).toEqual([
      expect.objectContaining({ variantId: variant.id, sku: variant.sku, quantity: 2 }),
    ]);
    const orderId = placed.body.id as string;
    expect((await call("GET", "/cart", { token })).body.lines).toEqual([]);

    // 4. the payment's status flows back to the order
    const paid = await settle(token, orderId, "paid");
    expect(paid.status).toBe("paid");
    const payments = await call("GET", "/payments", { token });
    const payment = payments.body.items.find((p: { orderId: string }) => p.orderId === orderId);
    expect(payment.status).toBe("succeeded");
    // The gateway may show the page it kept a moment ago for up to its hot bound (ADR 0024);
    // past that, the buyer sees the exact quantity.
    await new Promise((r) => setTimeout(r, EDGE_HOT_CATALOG_MS));
    const after = await call("GET", `/products/${candidate.id}`);
    expect(after.body.availableQuantity).toBe(stockBefore - 2);

    // 5. the shopper is told: an email and an SMS naming the order
    const confirmation = await eventually(
      async () => (await emailsTo(shopper.email)).find((m) => `${m.subject} ${m.text}`.includes(orderId)),
      30_000,
      "order confirmation email",
    );
    expect(confirmation.html).toContain(orderId);
    // The SMS names the order by its number (ADR 0013), the email by number and by id (its link).
    expect(confirmation.subject).toBe(`Order #${placed.body.number} confirmed`);
    await eventually(
      async () => (await smsTo(phone)).some((m) => m.body.includes(`order #${placed.body.number} confirmed`)),
      30_000,
      "order SMS",
    );

    // then: shipped with tracking, delivered, and kept in the history
    const adminToken = await admin();
    const ship = await call("POST", `/orders/${orderId}/ship`, {
      token: adminToken,
      body: { carrier: "DHL", trackingNumber: "JJD000390007" },
    });
    expect(ship.status).toBe(200);
    const shipped = await call("GET", `/orders/${orderId}`, { token });
    expect(shipped.body.status).toBe("shipped");
    expect(shipped.body.tracking).toMatchObject({ carrier: "DHL", trackingNumber: "JJD000390007" });
    await eventually(
      async () => (await emailsTo(shopper.email)).some((m) => `${m.subject} ${m.text}`.includes("JJD000390007")),
      30_000,
      "shipping email with tracking",
    );
    expect((await call("POST", `/orders/${orderId}/deliver`, { token: adminToken })).status).toBe(200);
    const history = await call("GET", "/orders", { token });
    const listed = history.body.items as { id: string; status: string }[];
    await eventually(
      async () => {
        const h = await call("GET", "/orders", { token });
        return (h.body.items as { id: string; status: string }[]).find(
          (o) => o.id === orderId && o.status === "delivered",
        );
      },
      15_000,
      "delivered order in history",
    );
    expect(listed.length).toBeGreaterThanOrEqual(1);
    const final = await call("GET", `/orders/${orderId}`, { token });
    const statuses = (final.body.timeline as { status: string }[]).map((e) => e.status);
    for (const s of ["awaiting_payment", "paid", "shipped", "delivered"]) expect(statuses).toContain(s);
  });

  it("keeps another shopper out of the order, and customers away from shipping", async () => {
    const owner = await registerAndLogin("owner");
    const other = await registerAndLogin("other");
    const page = await call("GET", "/products?limit=20");
    const product = page.body.items.find((p: { available: boolean }) => p.available);
    await call("POST", "/cart/items", { token: owner.accessToken, body: { productId: product.id, quantity: 1 } });
    const placed = await call("POST", "/orders", {
      token: owner.accessToken,
      headers: { "idempotency-key": `owner-${Date.now()}` },
      body: { shippingAddress: ADDRESS, paymentMethod: "pm_card_visa" },
    });
    expect(placed.status).toBe(201);
    expect((await call("GET", `/orders/${placed.body.id}`, { token: other.accessToken })).status).toBe(404);
    expect(
      (await call("POST", `/orders/${placed.body.id}/cancel`, { token: other.accessToken, body: {} })).status,
    ).toBe(404);
    const ship = await call("POST", `/orders/${placed.body.id}/ship`, {
      token: owner.accessToken,
      body: { carrier: "DHL", trackingNumber: "X1" },
    });
    expect(ship.status).toBe(403);
    expect((await call("GET", `/orders/${placed.body.id}`)).status).toBe(401);
  });
});
