import { expect, it } from "vitest";
import { screenshot, signIn, useBrowser } from "../support/browser";
import { verifyContacts } from "../support/contacts";
import { ADMIN, call, registerAndLogin } from "../support/http";
import { emailsTo, smsTo } from "../support/mailbox";
import { describeEachMode } from "../support/modes";
import { addToCart, admin, createProduct, eventually, placeOrder, settle } from "../support/shop";

/**
 * Order numbers (ADR 0013), through the gateway only: a placed order has a short number; the
 * order view, the confirmation email and SMS name it `#10042`; an admin finds the order by that
 * number (typed with or without `#`); the storefront's order page shows it as heading and title.
 */
describeEachMode("order numbers", () => {
  const browser = useBrowser();

  it("a placed order is #number in its view, its email and SMS, the admin search and its page", async () => {
    const phone = `+1415556${String(Date.now()).slice(-4)}`;
    const shopper = await registerAndLogin("numbers", { phone });
    await verifyContacts(shopper);
    const token = shopper.accessToken;
    const { id: productId } = await createProduct(5, { price: 1999, name: "Numbered mug" });
    await addToCart(token, productId, 1);
    const placed = await placeOrder(token, `numbers-${Date.now()}`);
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;
    const number = placed.body.number as number;
    expect(Number.isInteger(number)).toBe(true);
    expect(number).toBeGreaterThanOrEqual(10_000);

    // The order view keeps the number through the payment.
    await settle(token, orderId, "paid");
    const view = await call("GET", `/orders/${orderId}`, { token });
    expect(view.body.number).toBe(number);

    // The confirmation email and SMS name it #number; the email still links the order page.
    const mail = await eventually(
      async () => (await emailsTo(shopper.email)).find((m) => m.subject === `Order #${number} confirmed`),
      30_000,
      "confirmation email with the order number",
    );
    expect(mail.text).toContain(`Thank you! Your order #${number} is confirmed.`);
    expect(mail.html).toContain(`#${number}`);
    expect(mail.text).toContain(`/#/orders/${orderId}`);
    const sms = await eventually(
      async () => (await smsTo(phone)).find((m) => m.body.includes(`order #${number} confirmed`)),
      30_000,
      "confirmation SMS with the order number",
    );
    expect(sms.body).not.toContain(orderId);

    // Admins search by number, with or without "#"; a bad number is a 400 naming the field.
    const adminToken = await admin();
    const found = await eventually(
      async () => {
        const res = await call("GET", `/orders?number=${number}`, { token: adminToken });
        return res.status === 200 && res.body.items.length ? res.body : undefined;
      },
      15_000,
      "order in the admin search",
    );
    expect(found.items.map((o: { id: string; number: number }) => [o.id, o.number])).toEqual([[orderId, number]]);
    const hashed = await call("GET", `/orders?number=${encodeURIComponent(`#${number}`)}`, { token: adminToken });
    expect(hashed.body.items.map((o: { id: string }) => o.id)).toEqual([orderId]);
    const bad = await call("GET", "/orders?number=ten", { token: adminToken });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(bad.body)).toContain("number");
    // Another customer finds nothing under that number.
    const stranger = await registerAndLogin("numbers-stranger");
    const theirs = await call("GET", `/orders?number=${number}`, { token: stranger.accessToken });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);

    // The storefront's order page: heading and tab title carry the number.
    const s = await browser.open();
    const { page } = s;
    await signIn(page, shopper);
    await page.goto(`/#/orders/${orderId}`);
    await page.getByRole("heading", { level: 1, name: `Order #${number}` }).waitFor();
    expect(await page.title()).toBe(`Order #${number} · Shop at the edge`);
    expect(await page.locator(".order-id").textContent()).toBe(orderId);
    await screenshot(page, "order-number-page");
    // "My orders" lists it by number.
    await page.goto("/#/orders");
    const row = page.locator(`#orders-table tr[data-order-id="${orderId}"]`);
    await row.waitFor();
    expect(await row.locator(".order-number").textContent()).toBe(`#${number}`);

    // Staff find it on the admin orders page by the number the customer quotes.
    const staff = await browser.open();
    await signIn(staff.page, ADMIN);
    await staff.page.goto("/#/admin/orders");
    await staff.page.getByLabel("Find order number").fill(`#${number}`);
    await staff.page.getByRole("button", { name: "Find" }).click();
    const hit = staff.page.locator(`#admin-orders tr[data-order-id="${orderId}"]`);
    await hit.waitFor();
    expect(await staff.page.locator("#admin-orders tbody tr").count()).toBe(1);
    expect(await hit.locator(".order-number").textContent()).toBe(`#${number}`);
    await screenshot(staff.page, "order-number-admin-search");
  });
});
