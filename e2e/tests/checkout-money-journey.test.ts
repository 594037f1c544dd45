import { formatMoney } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { screenshot, useBrowser } from "../support/browser";
import { verifyContacts } from "../support/contacts";
import { call, registerAndLogin } from "../support/http";
import { emailsTo } from "../support/mailbox";
import { admin, createProduct, eventually, settle } from "../support/shop";

/**
 * The money of one order, end to end (ADR 0032–0035): a shopper in Germany (market `eu`) with a
 * saved address checks out in the storefront with a 10 % code and standard shipping, sees the
 * VAT inside the total, and pays by card; the payment is the breakdown's total, the receipt email
 * repeats the breakdown, and returning one unit refunds exactly that unit's share of its line.
 * Staff work (the code, the prices, shipping, the return) is done over HTTP.
 */

type Money = { amount: number; currency: string };
type Line = { quantity: number; subtotal: number; discount: number; tax: number; total: number };
type Breakdown = {
  currency: string;
  lines: Line[];
  subtotal: number;
  discountTotal: number;
  discounts: { code: string | null; amount: number }[];
  shipping: { methodId: string; name: string; cost: number; tax: number; taxInclusive: boolean };
  taxTotal: number;
  taxAdded: number;
  total: number;
};
type Payment = { orderId: string; amount: number; currency: string; status: string; amountRefunded: number };

const DE = { "MF-CF-Blob": JSON.stringify({ country: "DE" }) };
const HOME = { name: "Ada Lovelace", line1: "12 Analytical Row", city: "Berlin", postalCode: "10115", country: "DE" };

async function paymentOf(token: string, orderId: string): Promise<Payment | undefined> {
  const list = await call("GET", "/payments", { token });
  expect(list.status).toBe(200);
  return (list.body.items as Payment[]).find((p) => p.orderId === orderId);
}

describe("the checkout-money journey of a shopper in Germany (Chromium)", () => {
  const browser = useBrowser();

  it("code, standard shipping, VAT included → paid the breakdown's total, mailed it, refunded one unit's share", async () => {
    const adminToken = await admin();
    // Staff: a unique 10 % code, and a product sold in the euro area at €25.00.
    const code = `MONEY${Date.now().toString(36).toUpperCase()}`;
    const promo = await call("POST", "/promotions", {
      token: adminToken,
      body: {
        code,
        name: "Money journey ten",
        discount: { kind: "percentage", percent: 10 },
        target: { scope: "order" },
      },
    });
    expect(promo.status, JSON.stringify(promo.body)).toBe(201);
    const product = await createProduct(10, { price: 3000, name: `Money jug ${Date.now().toString(36)}` });
    const priced = await call("PUT", `/products/${product.id}/prices`, {
      token: adminToken,
      body: { prices: [{ market: "eu", amount: 2500 }] },
    });
    expect(priced.status, JSON.stringify(priced.body)).toBeLessThan(300);

    // The shopper: contacts verified (so receipts are mailed), one saved default address.
    const user = await registerAndLogin("money-journey");
    await verifyContacts(user);
    const saved = await call("POST", "/users/me/addresses", {
      token: user.accessToken,
      body: { ...HOME, isDefaultShipping: true },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);

    const shopper = await browser.open();
    const { page, context } = shopper;
    await context.setExtraHTTPHeaders(DE);
    await page.goto("/#/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.hash.startsWith("#/login"));

    // Two jugs from the product page, in euros.
    await page.goto(`/#/product/${product.id}`);
    await expect.poll(() => page.locator("#product-price").textContent(), { timeout: 10_000 }).toContain("€25.00");
    for (let i = 1; i <= 2; i++) {
      await page.getByRole("button", { name: "Add to cart" }).click();
      await expect
        .poll(
          async () => (await call("GET", "/cart", { token: user.accessToken, headers: DE })).body.lines?.[0]?.quantity,
        )
        .toBe(i);
    }

    // Checkout: the saved address is preselected and fills the form; the code and standard shipping.
    await page.goto("/#/checkout");
    await expect.poll(() => page.locator("#f-savedAddress").inputValue(), { timeout: 10_000 }).toBe(saved.body.id);
    expect(await page.getByLabel("Country").inputValue()).toBe("DE");
    expect(await page.getByLabel("City").inputValue()).toBe("Berlin");
    const part = (name: string) => page.locator(`#price-breakdown [data-part="${name}"]`);
    await expect.poll(() => part("total").locator("dd").textContent(), { timeout: 10_000 }).toContain("54.90");
    await page.getByLabel("Promo code").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Apply" }).click();
    await page.locator("#ship-eu-standard").check();
    // €50 − 10 % = €45 (under the free-shipping threshold) + €4.90; VAT inside: 718 + 78.
    await expect.poll(() => part("total").locator("dd").textContent(), { timeout: 10_000 }).toContain("€49.90");
    expect(await part("subtotal").textContent()).toContain("€50.00");
    expect(await part("discount").textContent()).toContain("−€5.00");
    expect(await part("shipping").textContent()).toContain("€4.90");
    expect(await part("tax").textContent()).toMatch(/Includes tax.*€7\.96/);
    expect(await page.getByRole("button", { name: /Place order/ }).textContent()).toContain("49.90");
    await screenshot(page, "checkout-breakdown-eu");

    await page.getByLabel(/4242/).check();
    await page.getByRole("button", { name: /Place order/ }).click();
    await page.waitForURL(/#\/orders\/ord_/);
    const orderId = decodeURIComponent(/#\/orders\/([^?]+)/.exec(page.url())?.[1] ?? "");
    const order = await settle(user.accessToken, orderId, "paid");
    const detail = await call("GET", `/orders/${orderId}`, { token: user.accessToken });
    const b = detail.body.breakdown as Breakdown;
    expect(detail.body).toMatchObject({ market: "eu", currency: "EUR", total: { amount: 4990, currency: "EUR" } });
    expect(b).toMatchObject({
      currency: "EUR",
      subtotal: 5000,
      discountTotal: 500,
      discounts: [{ code, amount: 500 }],
      shipping: { methodId: "eu-standard", cost: 490, tax: 78, taxInclusive: true },
      taxTotal: 796,
      taxAdded: 0,
      total: 4990,
    });
    expect(b.subtotal - b.discountTotal + b.shipping.cost + b.taxAdded).toBe(b.total);
    expect((order as unknown as { total: Money }).total.amount).toBe(b.total);

    // The payment is the breakdown's total.
    const payment = await paymentOf(user.accessToken, orderId);
    expect(payment).toMatchObject({ amount: b.total, currency: "EUR", status: "succeeded" });

    // The receipt repeats the breakdown, figure by figure.
    const eur = (amount: number) => formatMoney(amount, "EUR");
    const mail = await eventually(
      async () => (await emailsTo(user.email)).find((m) => /^Order .* confirmed$/.test(m.subject)),
      30_000,
      "the order confirmation email",
    );
    expect(mail.text).toContain(`Subtotal: ${eur(b.subtotal)}`);
    expect(mail.text).toContain(`Discount (${code}): −${eur(b.discountTotal)}`);
    expect(mail.text).toContain(`Shipping (${b.shipping.name}): ${eur(b.shipping.cost)}`);
    expect(mail.text).toContain(`Tax (incl.): ${eur(b.taxTotal)}`);
    expect(mail.text).toContain(`Total: ${eur(b.total)}`);
    expect(mail.html).toContain(eur(b.total));

    // Staff ship and deliver; the shopper returns one jug on the order page.
    const ship = await call("POST", `/orders/${orderId}/ship`, {
      token: adminToken,
      body: { carrier: "DHL", trackingNumber: `JJD${Date.now()}` },
    });
    expect(ship.status).toBe(200);
    expect((await call("POST", `/orders/${orderId}/deliver`, { token: adminToken })).status).toBe(200);
    await page.goto(`/#/orders/${orderId}`);
    await page.reload();
    // The order page shows what was charged besides the lines, as the order stores it.
    const charged = (name: string) => page.locator(`tfoot [data-part="${name}"] td`).first().textContent();
    await expect.poll(() => charged("discount"), { timeout: 10_000 }).toContain("5.00");
    expect(await charged("subtotal")).toContain("50.00");
    expect(await charged("shipping")).toContain("4.90");
    expect(await charged("tax")).toContain("7.96");
    await page.locator("#return-qty-0").fill("1");
    await page.getByLabel("Reason").selectOption("damaged");
    await page.getByRole("button", { name: "Request a return" }).click();
    await expect
      .poll(() => page.locator("#return-list li").first().textContent(), { timeout: 10_000 })
      .toContain("Requested");
    const returnId = (await page.locator("#return-list li").first().getAttribute("data-return-id")) ?? "";
    expect(returnId).toMatch(/^ret_/);

    // Staff approve and receive it: one unit's share of its line (its discount off, its VAT in).
    const [line] = b.lines as [Line];
    expect(line).toMatchObject({ quantity: 2, subtotal: 5000, discount: 500, total: 4500 });
    const share = Math.floor(line.total / line.quantity);
    expect((await call("POST", `/returns/${returnId}/approve`, { token: adminToken })).status).toBe(200);
    const received = await call("POST", `/returns/${returnId}/receive`, { token: adminToken, body: {} });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body.refundAmount).toEqual({ amount: share, currency: "EUR" });
    const refunded = await eventually(
      async () => {
        const p = await paymentOf(user.accessToken, orderId);
        return p && p.amountRefunded > 0 ? p : undefined;
      },
      30_000,
      "the partial refund on the payment",
    );
    expect(refunded).toMatchObject({ amount: b.total, amountRefunded: share, status: "partially_refunded" });
  }, 120_000);
});
